package io.captioner.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ./captioner bench}: simulated legs through the service's own decoding, measured. */
class BenchCommandTest {
    private static final String DENSE =
            ServiceHarness.HOME.resolve("models/u2pp-dense-telephony").toString();
    private static final String CONFIG =
            ServiceHarness.HOME.resolve("config/captioner.yaml").toString();

    private record Outcome(int code, String out, String err) {}

    private static Outcome bench(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] command = new String[args.length + 1];
        command[0] = "bench";
        System.arraycopy(args, 0, command, 1, args.length);
        int code = Main.run(
                command,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void twoLegsInRealTimeReportTheirSpeedLatenciesAndCaptions() {
        Outcome o = bench(
                "--model",
                DENSE,
                "--config",
                CONFIG,
                "--legs",
                "2",
                "--seconds",
                "10",
                "--json",
                "--batching",
                "both",
                "--throughput-legs",
                "4");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.err().contains("2 legs for 10 s"), o.err()); // the progress lines

        JsonObject report = new JsonObject(o.out());
        assertTrue(report.getString("machine").contains("cores"), report.encode());
        JsonObject model = report.getJsonArray("models").getJsonObject(0);
        assertEquals(DENSE, model.getString("model"));
        assertEquals(640.0, model.getDouble("chunk_ms"));
        double rtf = model.getDouble("rtf");
        assertTrue(rtf > 0.001 && rtf < 0.5, "single-leg RTF " + rtf);
        // two legs of the small dense model are far within two cores
        assertEquals(2, model.getInteger("max_realtime_legs"), model.encodePrettily());
        assertEquals(2, model.getInteger("legs_tried")); // so the machine may take more
        JsonArray steps = model.getJsonArray("steps");
        assertEquals(2, steps.size());
        for (int i = 0; i < 2; i++) {
            JsonObject step = steps.getJsonObject(i);
            assertEquals(i + 1, step.getInteger("legs"));
            assertTrue(step.getBoolean("kept_up"));
            assertEquals(0L, step.getLong("partials_skipped"));
            // each leg says a 4 s sentence, then pauses 1.5 s: an utterance ends within 10 s on every leg, even
            // when its final ends in digits and waits for the next words (the redaction hold, about 2 s)
            assertTrue(step.getLong("finals") >= i + 1, step.encode());
            double firstPartial = step.getDouble("first_partial_latency_p50_ms");
            assertTrue(firstPartial > 0 && firstPartial < 3000, step.encode());
            assertTrue(step.getDouble("chunk_latency_p95_ms") < 640, step.encode());
        }
        assertTrue(model.getDouble("final_latency_p95_ms") > 0, model.encode());
        double outside = model.getDouble("outside_onnx_share");
        assertTrue(outside > 0 && outside < 1, model.encode());

        // measured both ways, batched first; each way's throughput with 4 legs given 10 s of audio at once
        JsonArray runs = model.getJsonArray("runs");
        assertEquals(
                List.of(true, false),
                List.of(
                        runs.getJsonObject(0).getBoolean("batching"),
                        runs.getJsonObject(1).getBoolean("batching")));
        assertTrue(model.getBoolean("batching"));
        assertEquals(
                2,
                runs.getJsonObject(1).getInteger("max_realtime_legs"),
                runs.getJsonObject(1).encode());
        for (String key : List.of("throughput_batched", "throughput_unbatched")) {
            double throughput = model.getDouble(key);
            assertTrue(throughput > 4 && throughput < 4000, key + " " + throughput); // faster than real time
        }
        assertTrue(
                runs.getJsonObject(0).getDouble("mean_batch") >= 1,
                runs.getJsonObject(0).encode());
        assertEquals(null, runs.getJsonObject(1).getValue("mean_batch"));
    }

    @Test
    void badOptionsNameTheOptionAndChangeNothing() {
        Outcome legs = bench("--legs", "0");
        assertEquals(2, legs.code());
        assertTrue(legs.err().startsWith("--legs must be a whole number from 1 to 1024, got '0'"), legs.err());

        Outcome model = bench("--model", "/nonexistent/model");
        assertEquals(2, model.code());
        assertTrue(model.err().startsWith("--model: no model at /nonexistent/model"), model.err());

        Outcome batching = bench("--batching", "sometimes");
        assertEquals(2, batching.code());
        assertTrue(batching.err().startsWith("--batching must be on, off or both, got 'sometimes'"), batching.err());

        Outcome unknown = bench("--batch", "8");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("Unknown options: '--batch', '8'"), unknown.err());

        Outcome help = bench("--help");
        assertEquals(0, help.code());
        assertTrue(help.out().startsWith("Usage: ./captioner bench"), help.out());
    }
}
