package io.captioner.service.demo;

/** The voices of the demo's customer and agent. */
final class DemoVoices {
    static final String CALLER = "espeak:en-us";
    static final String AGENT = "flite:slt";

    private DemoVoices() {}
}
