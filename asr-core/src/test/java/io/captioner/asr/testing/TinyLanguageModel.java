package io.captioner.asr.testing;

import io.captioner.asr.lm.NgramLanguageModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A hand-written trigram ARPA model over the words the, cat, sat, for tests that work scores out by hand. */
public final class TinyLanguageModel {
    public static final String ARPA = """
            This free text before the data section is ignored, as in SRILM's output.

            \\data\\
            ngram 1=6
            ngram 2=4
            ngram 3=2

            \\1-grams:
            -1.0\t<unk>
            -99\t<s>\t-0.5
            -0.7\t</s>
            -0.6\tthe\t-0.3
            -0.8\tcat\t-0.2
            -0.9\tsat

            \\2-grams:
            -0.3\t<s> the\t-0.1
            -0.2\tthe cat\t-0.25
            -0.4\tcat sat
            -0.5\tsat </s>

            \\3-grams:
            -0.1\t<s> the cat
            -0.05\tthe cat sat

            \\end\\
            """;

    private TinyLanguageModel() {}

    /** Writes the model to {@code dir/lm.arpa} and loads it. */
    public static NgramLanguageModel load(Path dir) throws IOException {
        Path file = dir.resolve("lm.arpa");
        Files.writeString(file, ARPA);
        return NgramLanguageModel.load(file);
    }
}
