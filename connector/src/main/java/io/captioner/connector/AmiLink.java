package io.captioner.connector;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionFactory;
import org.asteriskjava.manager.ManagerConnectionState;
import org.asteriskjava.manager.ResponseEvents;
import org.asteriskjava.manager.action.CoreShowChannelsAction;
import org.asteriskjava.manager.action.GetVarAction;
import org.asteriskjava.manager.action.ManagerAction;
import org.asteriskjava.manager.action.OriginateAction;
import org.asteriskjava.manager.event.ResponseEvent;
import org.asteriskjava.manager.internal.ManagerConnectionImpl;
import org.asteriskjava.manager.response.GetVarResponse;
import org.asteriskjava.manager.response.ManagerError;
import org.asteriskjava.manager.response.ManagerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager connection (plain Asterisk-Java {@link ManagerConnection}). Events are copied into
 * {@link AmiEvent}s on the library's thread and passed on at once; actions are written from one
 * sender thread so neither the library's reader nor Vert.x ever blocks on the socket.
 * Asterisk-Java reconnects by itself (first every 50 ms, later every 5 s) and fires a ConnectEvent
 * after each successful login.
 */
final class AmiLink {
    private static final Logger log = LoggerFactory.getLogger(AmiLink.class);

    private final ConnectorSettings settings;
    private final ManagerConnection connection;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "captioner-ami-sender");
        t.setDaemon(true);
        return t;
    });

    AmiLink(ConnectorSettings settings, Consumer<AmiEvent> events) {
        this.settings = settings;
        this.connection = new ManagerConnectionFactory(
                        settings.amiHost(), settings.amiPort(), settings.amiUsername(), settings.amiSecret())
                .createManagerConnection();
        if (connection instanceof ManagerConnectionImpl impl) {
            impl.setDefaultResponseTimeout(settings.amiResponseTimeout().toMillis());
            impl.setDefaultEventTimeout(settings.amiResponseTimeout().toMillis());
        }
        connection.addEventListener(e -> {
            AmiEvent copy = AmiEvent.copyOf(e);
            if (copy != null) {
                events.accept(copy);
            }
        });
    }

    /** Logs in (blocking: call from a worker thread). */
    void login() throws Exception {
        connection.login("call,dtmf,dialplan,reporting");
    }

    boolean isConnected() {
        return connection.getState() == ManagerConnectionState.CONNECTED;
    }

    void logoff() {
        try {
            if (connection.getState() == ManagerConnectionState.CONNECTED) {
                connection.logoff();
            }
        } catch (RuntimeException e) {
            log.debug("logoff: {}", e.getMessage());
        }
        sender.shutdownNow();
    }

    /** Sends an Originate for a tap; the callback gets null on success or the error text. */
    void originate(
            String channel,
            String application,
            String data,
            String actionId,
            String channelId,
            Consumer<String> result) {
        OriginateAction originate = new OriginateAction();
        originate.setChannel(channel);
        originate.setApplication(application);
        originate.setData(data);
        originate.setAsync(true);
        originate.setChannelId(channelId);
        originate.setActionId(actionId);
        send(
                originate,
                response ->
                        result.accept(response instanceof ManagerError ? String.valueOf(response.getMessage()) : null),
                error -> result.accept(error));
    }

    /** Reads a channel variable (Getvar); the callback gets its value, or null when unset or on error. */
    void getVar(String channel, String variable, Consumer<String> result) {
        send(
                new GetVarAction(channel, variable),
                response -> result.accept(response instanceof GetVarResponse v ? v.getValue() : null),
                error -> result.accept(null));
    }

    /** Lists live channels (CoreShowChannels); the callback gets the CoreShowChannel events or null on failure. */
    void coreShowChannels(Consumer<List<AmiEvent>> result) {
        sender.execute(() -> {
            List<AmiEvent> channels = null;
            for (int attempt = 0; attempt < 40 && channels == null; attempt++) {
                try {
                    ResponseEvents events = connection.sendEventGeneratingAction(
                            new CoreShowChannelsAction(),
                            settings.amiResponseTimeout().toMillis());
                    channels = new ArrayList<>();
                    for (ResponseEvent e : events.getEvents()) {
                        AmiEvent copy = AmiEvent.copyOf(e);
                        if (copy != null && copy.type() == AmiEvent.Type.CORE_SHOW_CHANNEL) {
                            channels.add(copy);
                        }
                    }
                } catch (IllegalStateException e) {
                    sleep(50); // the library fires ConnectEvent just before it marks itself connected
                } catch (Exception e) {
                    log.warn("CoreShowChannels failed: {}", e.toString());
                    break;
                }
            }
            result.accept(channels);
        });
    }

    private void send(ManagerAction action, Consumer<ManagerResponse> onResponse, Consumer<String> onError) {
        sender.execute(() -> {
            try {
                connection.sendAction(action, onResponse::accept);
            } catch (Exception e) {
                onError.accept(action.getAction() + " not sent: " + e);
            }
        });
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
