package io.captioner.asr.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Access to the WeNet export fixtures under {@code shared/fixtures/wenet}. */
final class WenetFixtures {
    private WenetFixtures() {}

    static Path root() {
        return Path.of(System.getProperty("shared.dir", "../../shared"), "fixtures", "wenet");
    }

    /** Every {@code {dense,moe}/export_*} folder. */
    static List<Path> exports() {
        List<Path> exports = new ArrayList<>();
        for (String family : List.of("dense", "moe")) {
            try (Stream<Path> dirs = Files.list(root().resolve(family))) {
                dirs.filter(d -> d.getFileName().toString().startsWith("export_"))
                        .sorted()
                        .forEach(exports::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list fixtures under " + root().resolve(family), e);
            }
        }
        assertFalse(exports.isEmpty(), "no WeNet exports under " + root());
        return exports;
    }

    static JsonNode reference(Path export) throws IOException {
        return new ObjectMapper().readTree(export.resolve("reference.json").toFile());
    }

    static SymbolTable units(Path export) throws IOException {
        // the fixtures' recipe puts <sos/eos> at 2 (see units.txt); the runtime takes it from metadata
        return SymbolTable.load(export.resolve("units.txt"), 2, 2);
    }

    /** {@code ref_ctc_logprobs.f32} as [frames][vocab]. */
    static float[][] ctcLogProbs(Path export, int vocab) throws IOException {
        byte[] bytes = Files.readAllBytes(export.resolve("ref_ctc_logprobs.f32"));
        assertEquals(0, bytes.length % (4 * vocab), "log-prob file size is not a multiple of the vocabulary");
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[][] rows = new float[bytes.length / (4 * vocab)][vocab];
        for (float[] row : rows) {
            for (int v = 0; v < vocab; v++) {
                row[v] = buffer.getFloat();
            }
        }
        return rows;
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
