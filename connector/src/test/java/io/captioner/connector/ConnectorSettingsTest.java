package io.captioner.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectorSettingsTest {

    @Test
    void badValuesAreRejectedWithTheirName() {
        assertMessage(
                "amiPort must be a TCP port, got 0",
                () -> ConnectorSettings.builder().ami("h", 0, "u", "s").build());
        assertMessage(
                "tapAttempts must be at least 1",
                () -> ConnectorSettings.builder().tapAttempts(0).build());
        assertMessage(
                "noAudioTimeout must be a positive duration",
                () -> ConnectorSettings.builder().noAudioTimeout(Duration.ZERO).build());
        assertMessage(
                "set audioSocketDialHost",
                () -> ConnectorSettings.builder()
                        .audioSocketBind("0.0.0.0", 9092)
                        .build());
        assertMessage("CONTEXTS needs at least one context", () -> CaptionPolicy.contexts(Set.of()));
        assertMessage("e.g. CAPTION=yes", () -> CaptionPolicy.channelVariable("", "yes"));
        assertMessage("non-empty pattern", () -> RoleRule.context("", LegRole.AGENT));
    }

    @Test
    void defaultsAreUsable() {
        ConnectorSettings s = ConnectorSettings.builder()
                .audioSocketBind("0.0.0.0", 9092)
                .audioSocketDialAddress("10.0.0.9", 0)
                .wideband(true)
                .build();
        assertEquals(16000, s.sampleRate());
        assertEquals(CaptionPolicy.Mode.ALL_BRIDGED, s.captionPolicy().mode());
        assertEquals(s, s.toBuilder().build());
    }

    static void assertMessage(String part, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
