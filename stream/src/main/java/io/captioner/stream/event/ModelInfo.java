package io.captioner.stream.event;

import static io.captioner.stream.event.Checks.nonBlank;

/** The recognition model that produced a caption. */
public record ModelInfo(String name, String version) {
    public ModelInfo {
        nonBlank("model.name", name);
        nonBlank("model.version", version);
    }
}
