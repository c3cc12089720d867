package io.captioner.service;

import io.captioner.asr.DecodeOptions;
import io.captioner.asr.cli.TranscribeCommand;
import io.captioner.asr.model.ExecutionProvider;
import io.captioner.asr.search.EndpointRules;
import io.captioner.asr.search.LanguageModelFusion;
import io.captioner.config.Config;
import io.captioner.config.Secret;
import io.captioner.connector.ConnectorSettings;
import io.captioner.stream.redact.RedactionRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Everything the service reads from its configuration, validated in one place. Each section is a
 * record of plain values; {@link ServiceWiring} turns them into the modules' own settings.
 */
public record ServiceSettings(
        Ami ami,
        AudioSocket audioSocket,
        Captioning captioning,
        Roles roles,
        Tap tap,
        Model model,
        Decoder decoder,
        Redaction redaction,
        Limits limits,
        Kafka kafka,
        Http http,
        Cluster cluster) {

    public enum Policy {
        ALL_BRIDGED,
        CONTEXTS,
        CHANNEL_VARIABLE,
        ON_REQUEST
    }

    public record Ami(String host, int port, String username, Secret secret) {}

    public record AudioSocket(String bindHost, int port, String dialHost, int dialPort, List<String> allowedSources) {}

    /** Which calls are captioned; {@code hotwordsVariable} is the channel variable that carries a call's hotwords. */
    public record Captioning(Policy policy, List<String> contexts, String variable, String hotwordsVariable) {}

    public record Roles(
            List<String> agentContexts,
            List<String> agentChannelPrefixes,
            List<String> callerContexts,
            List<String> callerChannelPrefixes) {}

    public record Tap(
            int attempts,
            Duration retryDelay,
            Duration connectTimeout,
            Duration noAudioTimeout,
            Duration silenceAfter,
            Duration hangupGrace,
            int bufferFrames,
            boolean stereo,
            boolean wideband) {}

    /** @param executionProvider where ONNX Runtime runs the model (CUDA that cannot run falls back to the CPU) */
    public record Model(Path dir, int intraOpThreads, ExecutionProvider executionProvider) {}

    /** Zero or negative values mean "as the model's metadata says". */
    public record Decoder(
            int chunkSize,
            int leftChunks,
            int beam,
            int finalBeam,
            double ctcWeight,
            double rescoringMargin,
            double featureNormalization,
            double reverseWeight,
            boolean fullContextFinals,
            boolean inverseTextNormalization,
            double hotwordBoost,
            Duration endpointSilenceNothingDecoded,
            Duration endpointTrailingSilence,
            Duration maxUtterance,
            int workers,
            LanguageModel lm,
            Batching batching) {}

    /**
     * Streaming chunks of many legs in one encoder run ({@code decoder.batching.*}), where the model directory
     * has a batched encoder ({@code encoder_batch.onnx}).
     *
     * @param maxBatch the most chunks in one run
     * @param maxWait  how long the first chunk waits for others before its run starts
     * @param runners  threads running batches (0: one per core)
     */
    public record Batching(boolean enabled, int maxBatch, Duration maxWait, int runners) {
        /** The runner threads, one per core for 0. */
        public int runnerThreads() {
            return runners > 0 ? runners : Runtime.getRuntime().availableProcessors();
        }
    }

    /**
     * The word language model fused into decoding ({@code decoder.lm.*}).
     *
     * @param enabled false: decode without one even when the model directory holds one
     * @param file an ARPA file (plain or gzipped); {@code null}: the model directory's {@code lm.arpa[.gz]}, if any
     */
    public record LanguageModel(boolean enabled, Path file, LanguageModelFusion.Weights weights) {}

    /**
     * What captions hide before they leave the process ({@code redaction.*}); see the README's redaction section.
     *
     * @param enabled          false: nothing is hidden or masked
     * @param holdAcrossFinals how long a final that ends in digits waits for the leg's next final, so that a
     *                         number split over the two by a pause is judged whole
     * @param patterns         more rules, label → regular expression over a caption's words joined by spaces
     */
    public record Redaction(
            boolean enabled,
            boolean cardNumbers,
            boolean securityCodes,
            boolean socialSecurity,
            int partialDigitRun,
            Duration promptWindow,
            Duration holdAcrossFinals,
            Map<String, String> patterns) {}

    /**
     * Overload behaviour: at most {@code maxLegs} legs are captioned at once (more are refused); a
     * leg whose undecoded audio exceeds {@code partialBacklog} skips partials until it catches up,
     * and one beyond {@code maxBacklog} drops its oldest audio.
     */
    public record Limits(int maxLegs, Duration partialBacklog, Duration maxBacklog) {}

    public record Kafka(
            String bootstrap,
            String topic,
            String partialsTopic,
            boolean createTopics,
            int partitions,
            short replicationFactor,
            int bufferEvents,
            Duration shutdownTimeout,
            Path undeliveredFile,
            Map<String, String> properties) {}

    public record Http(String host, int port, Secret token) {}

    /** What one instance does in a captioning cluster ({@code cluster.role}). */
    public enum InstanceRole {
        /** taps Asterisk and captions the calls itself */
        ALL_IN_ONE,
        /** taps Asterisk and publishes the calls' audio to the audio topic; no model */
        TAPPER,
        /** captions the calls of the audio topic's partitions that Kafka assigns it; no Asterisk */
        RECOGNIZER
    }

    /**
     * Scale-out over Kafka ({@code cluster.*}; README "Running a cluster").
     *
     * @param audioTopic      where tappers publish each call's audio and events, keyed by call id
     * @param audioPartitions partitions of the audio topic when the service creates it: the most recognizers that
     *                        can share the calls
     * @param audioRetention  how long the audio topic keeps callers' voices (retention.ms when the service creates it)
     * @param recordAudio     a leg's audio gathered into one record (a record is sent after this much audio, or
     *                        after this long without a frame)
     * @param group           the recognizers' consumer group
     * @param sessionTimeout  how long a recognizer may be silent before Kafka gives its calls to the others
     */
    public record Cluster(
            InstanceRole role,
            String audioTopic,
            int audioPartitions,
            Duration audioRetention,
            Duration recordAudio,
            String group,
            Duration sessionTimeout) {}

    private static LanguageModel languageModel(Config c, Path home) {
        LanguageModelFusion.Weights defaults = LanguageModelFusion.Weights.DEFAULTS;
        Path path = c.path("decoder.lm.file", home, "");
        c.check(path == null || Files.isRegularFile(path), "decoder.lm.file", "no such file: " + path);
        LanguageModelFusion.Weights weights = new LanguageModelFusion.Weights(
                c.decimal("decoder.lm.weight", defaults.weight(), 0, 10),
                c.decimal("decoder.lm.wordBonus", defaults.wordBonus(), -20, 20),
                c.decimal("decoder.lm.unknownWordPenalty", defaults.unknownWordPenalty(), -100, 0),
                c.decimal("decoder.lm.rescoringWeight", defaults.rescoringWeight(), 0, 10));
        return new LanguageModel(c.bool("decoder.lm.enabled", true), path, weights);
    }

    public static ServiceSettings from(Config c, Path home) {
        Ami ami = new Ami(
                c.string("ami.host", "127.0.0.1"),
                c.integer("ami.port", 5038, 1, 65535),
                c.string("ami.username", "captioner"),
                c.secret("ami.secret"));
        AudioSocket audioSocket = new AudioSocket(
                c.string("audiosocket.bindHost", "127.0.0.1"),
                c.integer("audiosocket.port", 9092, 0, 65535),
                c.string("audiosocket.dialHost", ""),
                c.integer("audiosocket.dialPort", 0, 0, 65535),
                c.list("audiosocket.allowedSources", List.of("127.0.0.1")));
        Captioning captioning = new Captioning(
                c.choice("captioning.policy", Policy.ALL_BRIDGED),
                c.list("captioning.contexts", List.of()),
                c.string("captioning.variable", "CAPTION=yes"),
                c.string("captioning.hotwordsVariable", "CAPTION_HOTWORDS"));
        c.check(
                captioning.policy() != Policy.CONTEXTS || !captioning.contexts().isEmpty(),
                "captioning.contexts",
                "policy 'contexts' needs at least one dialplan context");
        c.check(
                captioning.policy() != Policy.CHANNEL_VARIABLE
                        || captioning.variable().matches("[A-Za-z_][A-Za-z0-9_]*=.*"),
                "captioning.variable",
                "must be NAME=value, such as CAPTION=yes");
        Roles roles = new Roles(
                c.list("roles.agentContexts", List.of()),
                c.list("roles.agentChannelPrefixes", List.of()),
                c.list("roles.callerContexts", List.of()),
                c.list("roles.callerChannelPrefixes", List.of()));
        ConnectorSettings tapDefaults = ConnectorSettings.builder().build();
        Tap tap = new Tap(
                c.integer("tap.attempts", tapDefaults.tapAttempts(), 1, 20),
                c.duration("tap.retryDelay", tapDefaults.tapRetryDelay()),
                c.duration("tap.connectTimeout", tapDefaults.connectTimeout()),
                c.duration("tap.noAudioTimeout", tapDefaults.noAudioTimeout()),
                c.duration("tap.silenceAfter", tapDefaults.silenceAfter()),
                c.duration("tap.hangupGrace", tapDefaults.hangupGrace()),
                c.integer("tap.bufferFrames", tapDefaults.legBufferFrames(), 1, 100_000),
                c.bool("tap.stereo", tapDefaults.stereoTap()),
                c.bool("tap.wideband", tapDefaults.wideband()));
        Model model = new Model(
                c.path("model.dir", home, TranscribeCommand.DEFAULT_MODEL),
                c.integer("model.intraOpThreads", 1, 1, 64),
                c.choice("model.executionProvider", ExecutionProvider.AUTO));
        DecodeOptions decoding = DecodeOptions.defaults();
        EndpointRules endpoints = decoding.endpointRules();
        Decoder decoder = new Decoder(
                c.integer("decoder.chunkSize", decoding.chunkSize(), 0, 64),
                c.integer("decoder.leftChunks", decoding.leftChunks(), -1, 64),
                c.integer("decoder.beam", decoding.beam(), 1, 64),
                c.integer("decoder.finalBeam", decoding.finalBeam(), 1, 256),
                c.decimal("decoder.ctcWeight", decoding.ctcWeight(), 0, 10),
                c.decimal("decoder.rescoringMargin", decoding.rescoringMargin(), 0, 1000),
                c.decimal("decoder.featureNormalization", decoding.featureNormalization(), 0, 1),
                c.decimal("decoder.reverseWeight", -1, -1, 1),
                c.bool("decoder.fullContextFinals", decoding.fullContextFinals()),
                c.bool("decoder.inverseTextNormalization", decoding.inverseTextNormalization()),
                c.decimal("decoder.hotwordBoost", decoding.hotwordBoost(), 0, 100),
                c.duration("decoder.endpoint.silenceNothingDecoded", Duration.ofMillis(endpoints.rule1SilenceMs())),
                c.duration("decoder.endpoint.trailingSilence", Duration.ofMillis(endpoints.rule2TrailingSilenceMs())),
                c.duration("decoder.endpoint.maxUtterance", Duration.ofMillis(endpoints.rule3MaxUtteranceMs())),
                c.integer("decoder.workers", 0, 0, 256),
                languageModel(c, home),
                new Batching(
                        c.bool("decoder.batching.enabled", false),
                        c.integer("decoder.batching.maxBatch", 32, 1, 1024),
                        c.duration("decoder.batching.maxWait", Duration.ofMillis(5)),
                        c.integer("decoder.batching.runners", 0, 0, 64)));
        c.check(
                decoder.batching().maxWait().compareTo(Duration.ofSeconds(1)) <= 0,
                "decoder.batching.maxWait",
                "must be at most 1s (every leg's chunk may wait this long)");
        RedactionRules rules = RedactionRules.defaults();
        Redaction redaction = new Redaction(
                c.bool("redaction.enabled", true),
                c.bool("redaction.cardNumbers", rules.cardNumbers()),
                c.bool("redaction.securityCodes", rules.securityCodes()),
                c.bool("redaction.socialSecurity", rules.socialSecurity()),
                c.integer("redaction.partialDigitRun", rules.partialDigitRun(), 1, 100),
                c.duration("redaction.promptWindow", rules.promptWindow()),
                c.duration("redaction.holdAcrossFinals", Duration.ofSeconds(3)),
                c.section("redaction.patterns"));
        redaction.patterns().forEach((label, regex) -> {
            String problem = patternProblem(label, regex);
            c.check(problem == null, "redaction.patterns." + label, problem);
        });
        Limits limits = new Limits(
                c.integer("limits.maxLegs", 64, 1, 100_000),
                c.duration("limits.partialBacklog", Duration.ofSeconds(2)),
                c.duration("limits.maxBacklog", Duration.ofSeconds(30)));
        c.check(
                limits.maxBacklog().compareTo(limits.partialBacklog()) > 0,
                "limits.maxBacklog",
                "must be longer than limits.partialBacklog");
        Kafka kafka = new Kafka(
                c.string("kafka.bootstrap", "127.0.0.1:9093"),
                c.string("kafka.topic", "captions"),
                c.string("kafka.partialsTopic", ""),
                c.bool("kafka.createTopics", true),
                c.integer("kafka.partitions", 6, 1, 10_000),
                (short) c.integer("kafka.replicationFactor", 1, 1, 16),
                c.integer("kafka.bufferEvents", 10_000, 10, 10_000_000),
                c.duration("kafka.shutdownTimeout", Duration.ofSeconds(10)),
                c.path("kafka.undeliveredFile", home, ""),
                c.section("kafka.properties"));
        c.check(
                !kafka.partialsTopic().equals(kafka.topic()),
                "kafka.partialsTopic",
                "must differ from kafka.topic (leave it empty to keep partials on kafka.topic)");
        Http http = new Http(
                c.string("http.host", "127.0.0.1"), c.integer("http.port", 8080, 0, 65535), c.secret("http.token"));
        Cluster cluster = new Cluster(
                c.choice("cluster.role", InstanceRole.ALL_IN_ONE),
                c.string("cluster.audioTopic", "captioner-audio"),
                c.integer("cluster.audioPartitions", 12, 1, 10_000),
                c.duration("cluster.audioRetention", Duration.ofHours(1)),
                c.duration("cluster.recordAudio", Duration.ofMillis(200)),
                c.string("cluster.group", "captioner-recognizers"),
                c.duration("cluster.sessionTimeout", Duration.ofSeconds(10)));
        c.check(
                !cluster.audioTopic().equals(kafka.topic())
                        && !cluster.audioTopic().equals(kafka.partialsTopic()),
                "cluster.audioTopic",
                "must differ from kafka.topic and kafka.partialsTopic (audio and captions do not share a topic)");
        c.check(
                cluster.recordAudio().compareTo(Duration.ofMillis(20)) >= 0
                        && cluster.recordAudio().compareTo(Duration.ofSeconds(2)) <= 0,
                "cluster.recordAudio",
                "must be between 20ms (one frame) and 2s (captions wait for a record)");
        c.check(
                cluster.sessionTimeout().compareTo(Duration.ofSeconds(1)) >= 0,
                "cluster.sessionTimeout",
                "must be at least 1s");
        c.validate();
        return new ServiceSettings(
                ami, audioSocket, captioning, roles, tap, model, decoder, redaction, limits, kafka, http, cluster);
    }

    /** What is wrong with a configured redaction pattern, as the redaction rules would refuse it; null if nothing. */
    private static String patternProblem(String label, String regex) {
        try {
            new RedactionRules.LabelledPattern(label, Pattern.compile(regex));
            return null;
        } catch (PatternSyntaxException e) {
            return "not a regular expression: " + regex;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
