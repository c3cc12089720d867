package io.captioner.asr.audio;

import java.io.IOException;

/** An audio file that cannot be decoded; the message names the file and what is wrong. */
public class AudioFormatException extends IOException {
    public AudioFormatException(String message) {
        super(message);
    }
}
