package io.captioner.stream.tools;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where Kafka is and how to reach it, as command-line options (a picocli mixin of {@code tail} and {@code replay}). */
final class KafkaOptions {
    @Option(
            names = "--bootstrap",
            paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default ${DEFAULT-VALUE})")
    String bootstrap = "127.0.0.1:9092";

    @Option(
            names = "--kafka",
            paramLabel = "KEY=VALUE",
            description = "Kafka client property, e.g. security.protocol=SASL_SSL (repeatable)")
    Map<String, String> properties = new LinkedHashMap<>();
}
