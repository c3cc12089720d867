package io.captioner.asr.lm;

import java.io.IOException;

/** A malformed ARPA file: the message starts with {@code file:line:} and says what is wrong. */
public final class ArpaFormatException extends IOException {
    public ArpaFormatException(String file, int line, String problem) {
        super(file + ":" + line + ": " + problem);
    }
}
