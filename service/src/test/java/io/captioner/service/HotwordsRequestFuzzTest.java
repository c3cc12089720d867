package io.captioner.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever body a client sends to the hotwords API, it gets phrases or an {@link IllegalArgumentException}
 * that the API answers with 400 and the reason; nothing else escapes (a 500). More tries: {@code bench/fuzz/run.sh}.
 */
class HotwordsRequestFuzzTest {
    private static final double CONFIGURED_BOOST = 4.5; // decoder.hotwordBoost: what a body without a boost gets

    @Example
    void aWellFormedBody() {
        HotwordsRequest request = HotwordsRequest.parse(
                Buffer.buffer("{\"phrases\": [\"acme premium\"], \"boost\": 2.5}"), CONFIGURED_BOOST);
        assertEquals(List.of("acme premium"), request.phrases());
        assertEquals(2.5, request.boost());
        assertEquals(
                CONFIGURED_BOOST,
                HotwordsRequest.parse(Buffer.buffer("{\"phrases\": []}"), CONFIGURED_BOOST)
                        .boost());
        assertThrows(
                IllegalArgumentException.class,
                () -> HotwordsRequest.parse(Buffer.buffer("{\"phrases\": [], \"boost\": \"high\"}"), CONFIGURED_BOOST));
    }

    @Property
    void anyBody(@ForAll("bodies") String body) {
        try {
            HotwordsRequest request = HotwordsRequest.parse(Buffer.buffer(body), CONFIGURED_BOOST);
            assertTrue(
                    request.phrases().stream().noneMatch(String::isBlank) && request.boost() >= 0, request.toString());
        } catch (IllegalArgumentException e) {
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "a reason for the 400");
        }
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> scalar = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(6).map(s -> "\"" + s + "\""),
                Arbitraries.of("1", "-1", "1e999", "null", "true", "[]", "{}", "3.0", "\"\"", "\"  \"", "NaN"));
        Arbitrary<String> phrases = scalar.list().ofMaxSize(3).map(items -> "[" + String.join(",", items) + "]");
        Arbitrary<String> json = Arbitraries.oneOf(phrases, scalar)
                .flatMap(p -> scalar.map(b -> "{\"phrases\":" + p + ",\"boost\":" + b + "}"));
        return Arbitraries.oneOf(
                json,
                phrases,
                scalar,
                Arbitraries.strings().all().ofMaxLength(30),
                json.map(j -> j.substring(0, j.length() / 2)));
    }
}
