package io.captioner.connector;

import java.util.Objects;

/**
 * Assigns a role to a leg. Rules are tried in order; the first that matches wins. When none
 * matches, the leg whose channel appeared first in the call is the caller and the others are agents.
 *
 * @param match   what is compared
 * @param pattern the dialplan context (exact) or the channel name prefix (e.g. {@code PJSIP/agent-})
 * @param role    the role given to a matching leg
 */
public record RoleRule(Match match, String pattern, LegRole role) {

    public enum Match {
        CONTEXT,
        CHANNEL_PREFIX
    }

    public RoleRule {
        Objects.requireNonNull(match, "role rule match");
        Objects.requireNonNull(role, "role rule role");
        if (pattern == null || pattern.isEmpty()) {
            throw new IllegalArgumentException("role rule needs a non-empty pattern");
        }
    }

    public static RoleRule context(String context, LegRole role) {
        return new RoleRule(Match.CONTEXT, context, role);
    }

    public static RoleRule channelPrefix(String prefix, LegRole role) {
        return new RoleRule(Match.CHANNEL_PREFIX, prefix, role);
    }

    boolean matches(String channelName, String context) {
        return switch (match) {
            case CONTEXT -> pattern.equals(context);
            case CHANNEL_PREFIX -> channelName != null && channelName.startsWith(pattern);
        };
    }
}
