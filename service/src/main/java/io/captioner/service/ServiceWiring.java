package io.captioner.service;

import io.captioner.asr.AsrModel;
import io.captioner.asr.DecodeOptions;
import io.captioner.asr.model.ModelLoadException;
import io.captioner.asr.search.EndpointRules;
import io.captioner.config.ConfigException;
import io.captioner.connector.CaptionPolicy;
import io.captioner.connector.ConnectorSettings;
import io.captioner.connector.LegRole;
import io.captioner.connector.RoleRule;
import io.captioner.stream.event.Role;
import io.captioner.stream.kafka.PublisherSettings;
import io.captioner.stream.redact.RedactionRules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns the service's settings into each module's own settings. */
final class ServiceWiring {
    private static final Logger log = LoggerFactory.getLogger(ServiceWiring.class);

    private ServiceWiring() {}

    /** The configured model with its language model, batching its legs' chunks where it can and is asked to. */
    static AsrModel loadModel(ServiceSettings settings) throws ModelLoadException {
        AsrModel model = AsrModel.load(
                settings.model().dir(),
                settings.model().intraOpThreads(),
                languageModelSource(settings.decoder().lm()),
                settings.model().executionProvider());
        ServiceSettings.Batching batching = settings.decoder().batching();
        if (!batching.enabled()) {
            log.info("batching off (decoder.batching.enabled: false): every leg's chunks run alone");
        } else if (model.startBatching(batching.maxBatch(), batching.maxWait(), batching.runnerThreads())) {
            log.info(
                    "batching on: up to {} legs' chunks in one encoder run, the first waiting at most {} ms, on {}"
                            + " threads",
                    batching.maxBatch(),
                    batching.maxWait().toMillis(),
                    batching.runnerThreads());
        } else {
            log.info(
                    "batching off: {} has no batched encoder ({}; python3 -m captrain.export --update"
                            + " writes one for a model of this recipe); every leg's chunks run alone",
                    model.directory(),
                    "encoder_batch.onnx");
        }
        return model;
    }

    /** The role a caption event names for a leg the connector tapped in that role. */
    static Role eventRole(LegRole role) {
        return switch (role) {
            case CALLER -> Role.CALLER;
            case AGENT -> Role.AGENT;
        };
    }

    static DecodeOptions decodeOptions(ServiceSettings.Decoder d) {
        return DecodeOptions.builder()
                .chunkSize(d.chunkSize())
                .leftChunks(d.leftChunks())
                .beam(d.beam())
                .finalBeam(d.finalBeam())
                .ctcWeight(d.ctcWeight())
                .rescoringMargin(d.rescoringMargin() > 0 ? d.rescoringMargin() : Double.POSITIVE_INFINITY)
                .featureNormalization(d.featureNormalization())
                .reverseWeight(d.reverseWeight() >= 0 ? d.reverseWeight() : Double.NaN)
                .fullContextFinals(d.fullContextFinals())
                .inverseTextNormalization(d.inverseTextNormalization())
                .hotwordBoost(d.hotwordBoost())
                .endpointRules(new EndpointRules(
                        d.endpointSilenceNothingDecoded().toMillis(),
                        d.endpointTrailingSilence().toMillis(),
                        d.maxUtterance().toMillis(),
                        EndpointRules.DEFAULTS.blankThreshold()))
                .languageModel(d.lm().weights())
                .build();
    }

    static RedactionRules redactionRules(ServiceSettings.Redaction r) {
        if (!r.enabled()) {
            return RedactionRules.none();
        }
        List<RedactionRules.LabelledPattern> patterns = new ArrayList<>();
        r.patterns()
                .forEach((label, regex) ->
                        patterns.add(new RedactionRules.LabelledPattern(label, Pattern.compile(regex))));
        return new RedactionRules(
                r.cardNumbers(),
                r.securityCodes(),
                r.socialSecurity(),
                r.partialDigitRun(),
                r.promptWindow(),
                patterns);
    }

    static AsrModel.LanguageModelSource languageModelSource(ServiceSettings.LanguageModel lm) {
        if (!lm.enabled()) {
            return AsrModel.LanguageModelSource.NONE;
        }
        return lm.file() == null
                ? AsrModel.LanguageModelSource.MODEL_DIRECTORY
                : AsrModel.LanguageModelSource.file(lm.file());
    }

    static ConnectorSettings connectorSettings(ServiceSettings s) {
        ServiceSettings.Captioning c = s.captioning();
        CaptionPolicy policy = switch (c.policy()) {
            case ALL_BRIDGED -> CaptionPolicy.allBridged();
            case CONTEXTS -> CaptionPolicy.contexts(new HashSet<>(c.contexts()));
            case CHANNEL_VARIABLE ->
                CaptionPolicy.channelVariable(
                        c.variable().substring(0, c.variable().indexOf('=')),
                        c.variable().substring(c.variable().indexOf('=') + 1));
            case ON_REQUEST -> CaptionPolicy.onRequest();
        };
        List<RoleRule> roles = new ArrayList<>();
        s.roles().agentContexts().forEach(ctx -> roles.add(RoleRule.context(ctx, LegRole.AGENT)));
        s.roles().agentChannelPrefixes().forEach(p -> roles.add(RoleRule.channelPrefix(p, LegRole.AGENT)));
        s.roles().callerContexts().forEach(ctx -> roles.add(RoleRule.context(ctx, LegRole.CALLER)));
        s.roles().callerChannelPrefixes().forEach(p -> roles.add(RoleRule.channelPrefix(p, LegRole.CALLER)));
        ServiceSettings.Tap tap = s.tap();
        return ConnectorSettings.builder()
                .ami(
                        s.ami().host(),
                        s.ami().port(),
                        s.ami().username(),
                        s.ami().secret().reveal())
                .audioSocketBind(s.audioSocket().bindHost(), s.audioSocket().port())
                .audioSocketDialAddress(
                        s.audioSocket().dialHost().isEmpty()
                                ? null
                                : s.audioSocket().dialHost(),
                        s.audioSocket().dialPort())
                .allowedSources(s.audioSocket().allowedSources())
                .captionPolicy(policy)
                .roleRules(roles)
                .tapAttempts(tap.attempts())
                .tapRetryDelay(tap.retryDelay())
                .connectTimeout(tap.connectTimeout())
                .noAudioTimeout(tap.noAudioTimeout())
                .silenceAfter(tap.silenceAfter())
                .hangupGrace(tap.hangupGrace())
                .legBufferFrames(tap.bufferFrames())
                .stereoTap(tap.stereo())
                .wideband(tap.wideband())
                .build();
    }

    static PublisherSettings publisherSettings(ServiceSettings.Kafka k) {
        try {
            return PublisherSettings.builder(k.bootstrap())
                    .topic(k.topic())
                    .partialTopic(k.partialsTopic().isEmpty() ? null : k.partialsTopic())
                    .createTopics(k.createTopics())
                    .topicPartitions(k.partitions())
                    .replicationFactor(k.replicationFactor())
                    .maxBufferedEvents(k.bufferEvents())
                    .shutdownTimeout(k.shutdownTimeout())
                    .spillFile(k.undeliveredFile())
                    .kafkaProperties(k.properties())
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(List.of("kafka: " + e.getMessage()));
        }
    }
}
