package io.captioner.connector.audiosocket;

import java.util.UUID;

/** The UUIDs the service issued for taps. */
public interface TapDirectory {
    /**
     * Claims the tap of a UUID for a new connection.
     *
     * @return the sink for its audio
     * @throws TapRejectedException when the UUID was never issued, was revoked, or already has a connection
     */
    TapSink claim(UUID uuid) throws TapRejectedException;

    class TapRejectedException extends Exception {
        public TapRejectedException(String message) {
            super(message);
        }
    }
}
