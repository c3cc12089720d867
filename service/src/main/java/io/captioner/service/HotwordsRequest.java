package io.captioner.service;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code PUT /api/calls/{id}/hotwords}: {@code {"phrases": ["..."], "boost": 3.0}}; without a boost, the
 * configured {@code decoder.hotwordBoost}.
 */
record HotwordsRequest(List<String> phrases, double boost) {
    private static final String SHAPE = "body must be JSON {\"phrases\": [\"...\"], \"boost\": 3.0}";

    /** @throws IllegalArgumentException saying what is wrong with the body */
    static HotwordsRequest parse(Buffer body, double defaultBoost) {
        JsonObject json;
        try {
            json = body == null ? null : new JsonObject(body);
        } catch (DecodeException | ClassCastException e) {
            throw new IllegalArgumentException(SHAPE);
        }
        if (json == null || !(json.getValue("phrases") instanceof JsonArray phrasesJson)) {
            throw new IllegalArgumentException(SHAPE);
        }
        List<String> phrases = new ArrayList<>();
        for (Object p : phrasesJson) {
            if (!(p instanceof String s) || s.isBlank()) {
                throw new IllegalArgumentException("phrases must be non-empty strings, got " + p);
            }
            phrases.add(s);
        }
        Object boost = json.getValue("boost", defaultBoost);
        if (!(boost instanceof Number n) || !Double.isFinite(n.doubleValue()) || n.doubleValue() < 0) {
            throw new IllegalArgumentException("boost must be a number of 0 or more, got " + boost);
        }
        return new HotwordsRequest(List.copyOf(phrases), n.doubleValue());
    }
}
