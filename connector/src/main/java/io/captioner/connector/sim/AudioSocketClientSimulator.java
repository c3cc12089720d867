package io.captioner.connector.sim;

import io.captioner.connector.audiosocket.AudioSocketKind;
import io.captioner.connector.audiosocket.AudioSocketWire;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Plays the Asterisk side of an AudioSocket connection: connects, sends the 0x01 id first, then
 * one message per write (one 20 ms frame each), and ends with a plain close (FIN), never 0x00.
 * It reads what the server sends: a 0x00 makes it stop like Asterisk hangs the tap channel up.
 * Also sends raw bytes, stalls and resets for tests of misbehaving peers.
 */
public final class AudioSocketClientSimulator implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final CountDownLatch serverDone = new CountDownLatch(1);
    private volatile boolean hangupReceived;
    private volatile boolean closed;

    private AudioSocketClientSimulator(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        socket.setTcpNoDelay(true);
        Thread reader = new Thread(this::readServer, "audiosocket-sim-reader");
        reader.setDaemon(true);
        reader.start();
    }

    public static AudioSocketClientSimulator connect(String host, int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), 2000);
        return new AudioSocketClientSimulator(s);
    }

    public void sendId(UUID uuid) throws IOException {
        write(AudioSocketWire.idMessage(uuid));
    }

    public void sendMessage(int kind, byte[] payload) throws IOException {
        write(AudioSocketWire.message(kind, payload));
    }

    /** Writes bytes as they are (one write). */
    public void sendRaw(byte[] bytes) throws IOException {
        write(bytes);
    }

    /**
     * Sends audio messages of one kind, one per write, until the source returns null, the server
     * sends 0x00 or closes, or {@code keepGoing} says stop, on the grid that {@code pacing} sets. An
     * empty payload is a slot of the grid in which nothing is sent (a silent party).
     *
     * @return the number of messages sent
     */
    public int stream(int kind, Supplier<byte[]> source, Pacing pacing, java.util.function.BooleanSupplier keepGoing)
            throws IOException {
        long start = System.nanoTime();
        int sent = 0;
        for (long slot = 0; !hangupReceived && !closed && keepGoing.getAsBoolean(); slot++) {
            byte[] payload = source.get();
            if (payload == null) {
                break;
            }
            long wait = start + pacing.dueNanos(slot) - System.nanoTime();
            if (wait > 0) {
                sleepNanos(wait);
            }
            if (payload.length == 0) {
                continue;
            }
            try {
                sendMessage(kind, payload);
            } catch (IOException e) {
                if (hangupReceived || closed) {
                    break;
                }
                throw e;
            }
            sent++;
        }
        return sent;
    }

    /** Sends 20 ms slin frames of the audio (mono, the kind of its rate) and returns the count. */
    public int streamPcm(PartyAudio audio, Pacing pacing) throws IOException {
        int frame = audio.sampleRate() / 50;
        long[] pos = {0};
        return stream(
                AudioSocketKind.forSampleRate(audio.sampleRate()),
                () -> {
                    if (pos[0] >= audio.length()) {
                        return null;
                    }
                    byte[] b = SimFrames.slin(audio, pos[0], frame);
                    pos[0] += frame;
                    return b;
                },
                pacing,
                () -> true);
    }

    /** True once the server sent the 0x00 hangup. */
    public boolean hangupReceived() {
        return hangupReceived;
    }

    /** Waits until the server closed its side (or sent 0x00). */
    public boolean awaitServerClose(long timeout, TimeUnit unit) throws InterruptedException {
        return serverDone.await(timeout, unit);
    }

    /** Ends like Asterisk does: a plain close (FIN). */
    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Ends abruptly with a TCP reset. */
    public void reset() {
        closed = true;
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void write(byte[] bytes) throws IOException {
        synchronized (out) {
            out.write(bytes);
            out.flush();
        }
    }

    private void readServer() {
        try {
            InputStream in = socket.getInputStream();
            int b;
            while ((b = in.read()) >= 0) {
                if (b == AudioSocketKind.HANGUP) {
                    in.read();
                    in.read();
                    hangupReceived = true;
                    break;
                }
            }
        } catch (IOException ignored) {
            // the socket was closed
        } finally {
            serverDone.countDown();
        }
    }

    private static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
