package io.captioner.connector;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Configuration of an {@link AsteriskConnector}. Build with {@link #builder()}.
 *
 * @param amiHost              Asterisk manager host
 * @param amiPort              Asterisk manager port (5038)
 * @param amiUsername          manager.conf user (needs read=call,dtmf,dialplan,reporting write=originate,call,reporting)
 * @param amiSecret            its secret
 * @param audioSocketBindHost  interface the AudioSocket server listens on (the Asterisk-facing one)
 * @param audioSocketPort      port of the AudioSocket server; 0 picks a free port
 * @param audioSocketDialHost  host Asterisk should connect to for taps; null means the bind host
 * @param audioSocketDialPort  port Asterisk should connect to; 0 means the port actually bound
 * @param allowedSources       source IP addresses allowed to connect to the AudioSocket port; empty allows any
 * @param captionPolicy        which calls are captioned
 * @param roleRules            how legs get their role (first match wins)
 * @param tapAttempts          how many attempts in a row may fail before {@link CallListener#onTapFailed} (an
 *                             attempt that delivered audio starts the count afresh)
 * @param tapRetryDelay        wait before the second attempt; each further wait doubles (at most 30 s)
 * @param connectTimeout       how long a tap may take from Originate to its AudioSocket connection
 * @param noAudioTimeout       a tap that delivers no audio this long (outside hold) has failed, unless AMI
 *                             vouches for it (its ChanSpy runs on a channel that is still up: a silent party)
 * @param silenceAfter         a pause in a tap's frames longer than this is silence of the pause's length (shorter
 *                             ones are jitter)
 * @param hangupGrace          after a tap socket closes, how long to wait for AMI to report the leg's hangup
 * @param legBufferFrames      frames buffered per leg for a slow listener; the oldest are dropped beyond it
 * @param stereoTap            one ChanSpy {@code qEuD} tap per call instead of one {@code qEuo} tap per leg
 * @param wideband             ask Asterisk for 16 kHz ({@code c(slin16)}) instead of 8 kHz
 * @param amiResponseTimeout   how long to wait for an AMI response
 */
public record ConnectorSettings(
        String amiHost,
        int amiPort,
        String amiUsername,
        String amiSecret,
        String audioSocketBindHost,
        int audioSocketPort,
        String audioSocketDialHost,
        int audioSocketDialPort,
        List<String> allowedSources,
        CaptionPolicy captionPolicy,
        List<RoleRule> roleRules,
        int tapAttempts,
        Duration tapRetryDelay,
        Duration connectTimeout,
        Duration noAudioTimeout,
        Duration silenceAfter,
        Duration hangupGrace,
        int legBufferFrames,
        boolean stereoTap,
        boolean wideband,
        Duration amiResponseTimeout) {

    public ConnectorSettings {
        requireText(amiHost, "amiHost");
        requirePort(amiPort, "amiPort", false);
        requireText(amiUsername, "amiUsername");
        Objects.requireNonNull(amiSecret, "amiSecret");
        requireText(audioSocketBindHost, "audioSocketBindHost");
        requirePort(audioSocketPort, "audioSocketPort", true);
        requirePort(audioSocketDialPort, "audioSocketDialPort", true);
        if (audioSocketDialHost == null
                && (audioSocketBindHost.equals("0.0.0.0") || audioSocketBindHost.equals("::"))) {
            throw new IllegalArgumentException("audioSocketBindHost " + audioSocketBindHost
                    + " listens everywhere: set audioSocketDialHost to the address Asterisk should connect to");
        }
        allowedSources = List.copyOf(allowedSources);
        Objects.requireNonNull(captionPolicy, "captionPolicy");
        roleRules = List.copyOf(roleRules);
        if (tapAttempts < 1) {
            throw new IllegalArgumentException("tapAttempts must be at least 1, got " + tapAttempts);
        }
        requirePositive(tapRetryDelay, "tapRetryDelay");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(noAudioTimeout, "noAudioTimeout");
        requirePositive(silenceAfter, "silenceAfter");
        requirePositive(hangupGrace, "hangupGrace");
        requirePositive(amiResponseTimeout, "amiResponseTimeout");
        if (legBufferFrames < 1) {
            throw new IllegalArgumentException("legBufferFrames must be at least 1, got " + legBufferFrames);
        }
    }

    /** Sample rate of tapped legs. */
    public int sampleRate() {
        return wideband ? 16000 : 8000;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.amiHost = amiHost;
        b.amiPort = amiPort;
        b.amiUsername = amiUsername;
        b.amiSecret = amiSecret;
        b.audioSocketBindHost = audioSocketBindHost;
        b.audioSocketPort = audioSocketPort;
        b.audioSocketDialHost = audioSocketDialHost;
        b.audioSocketDialPort = audioSocketDialPort;
        b.allowedSources = allowedSources;
        b.captionPolicy = captionPolicy;
        b.roleRules = roleRules;
        b.tapAttempts = tapAttempts;
        b.tapRetryDelay = tapRetryDelay;
        b.connectTimeout = connectTimeout;
        b.noAudioTimeout = noAudioTimeout;
        b.silenceAfter = silenceAfter;
        b.hangupGrace = hangupGrace;
        b.legBufferFrames = legBufferFrames;
        b.stereoTap = stereoTap;
        b.wideband = wideband;
        b.amiResponseTimeout = amiResponseTimeout;
        return b;
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }

    private static void requirePort(int port, String name, boolean zeroAllowed) {
        if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
            throw new IllegalArgumentException(
                    name + " must be a TCP port" + (zeroAllowed ? " or 0" : "") + ", got " + port);
        }
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
        }
    }

    /** Defaults: local Asterisk, AudioSocket on 127.0.0.1:9092 for 127.0.0.1 only, every bridged call. */
    public static final class Builder {
        private String amiHost = "127.0.0.1";
        private int amiPort = 5038;
        private String amiUsername = "captioner";
        private String amiSecret = "";
        private String audioSocketBindHost = "127.0.0.1";
        private int audioSocketPort = 9092;
        private String audioSocketDialHost;
        private int audioSocketDialPort;
        private List<String> allowedSources = List.of("127.0.0.1");
        private CaptionPolicy captionPolicy = CaptionPolicy.allBridged();
        private List<RoleRule> roleRules = List.of();
        private int tapAttempts = 5;
        private Duration tapRetryDelay = Duration.ofMillis(500);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration noAudioTimeout = Duration.ofSeconds(5);
        private Duration silenceAfter = Duration.ofMillis(200);
        private Duration hangupGrace = Duration.ofSeconds(1);
        private int legBufferFrames = 500;
        private boolean stereoTap;
        private boolean wideband;
        private Duration amiResponseTimeout = Duration.ofSeconds(5);

        public Builder ami(String host, int port, String username, String secret) {
            this.amiHost = host;
            this.amiPort = port;
            this.amiUsername = username;
            this.amiSecret = secret;
            return this;
        }

        public Builder audioSocketBind(String host, int port) {
            this.audioSocketBindHost = host;
            this.audioSocketPort = port;
            return this;
        }

        public Builder audioSocketDialAddress(String host, int port) {
            this.audioSocketDialHost = host;
            this.audioSocketDialPort = port;
            return this;
        }

        public Builder allowedSources(List<String> sources) {
            this.allowedSources = sources;
            return this;
        }

        public Builder captionPolicy(CaptionPolicy policy) {
            this.captionPolicy = policy;
            return this;
        }

        public Builder roleRules(List<RoleRule> rules) {
            this.roleRules = rules;
            return this;
        }

        public Builder tapAttempts(int attempts) {
            this.tapAttempts = attempts;
            return this;
        }

        public Builder tapRetryDelay(Duration d) {
            this.tapRetryDelay = d;
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        public Builder noAudioTimeout(Duration d) {
            this.noAudioTimeout = d;
            return this;
        }

        public Builder silenceAfter(Duration d) {
            this.silenceAfter = d;
            return this;
        }

        public Builder hangupGrace(Duration d) {
            this.hangupGrace = d;
            return this;
        }

        public Builder legBufferFrames(int frames) {
            this.legBufferFrames = frames;
            return this;
        }

        public Builder stereoTap(boolean on) {
            this.stereoTap = on;
            return this;
        }

        public Builder wideband(boolean on) {
            this.wideband = on;
            return this;
        }

        public Builder amiResponseTimeout(Duration d) {
            this.amiResponseTimeout = d;
            return this;
        }

        public ConnectorSettings build() {
            return new ConnectorSettings(
                    amiHost,
                    amiPort,
                    amiUsername,
                    amiSecret,
                    audioSocketBindHost,
                    audioSocketPort,
                    audioSocketDialHost,
                    audioSocketDialPort,
                    allowedSources,
                    captionPolicy,
                    roleRules,
                    tapAttempts,
                    tapRetryDelay,
                    connectTimeout,
                    noAudioTimeout,
                    silenceAfter,
                    hangupGrace,
                    legBufferFrames,
                    stereoTap,
                    wideband,
                    amiResponseTimeout);
        }
    }
}
