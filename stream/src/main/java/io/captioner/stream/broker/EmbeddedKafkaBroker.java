package io.captioner.stream.broker;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Apache Kafka (KRaft, combined broker + controller) running inside this JVM, bound to
 * 127.0.0.1. Used by the service's {@code demo} mode and by tests. The node can be stopped and started
 * again on the same ports and log directory (its data and the producers' idempotence state survive).
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final long PORT_RELEASE_WAIT_MS = 10_000;

    static {
        // Kafka's server calls the Log4j 2 API for its logging controller; without log4j-core on the class path
        // Log4j prints an error at first use. Its own simple context is enough: Kafka logs through SLF4J.
        if (System.getProperty("log4j2.loggerContextFactory") == null
                && !classPresent("org.apache.logging.log4j.core.LoggerContext")) {
            System.setProperty(
                    "log4j2.loggerContextFactory", "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
        }
    }

    private final Path logDir;
    private final boolean ownsLogDir;
    private final int brokerPort;
    private final int controllerPort;
    private final boolean autoCreateTopics;
    private final int defaultPartitions;
    private final Properties extraProperties;
    private final String clusterId = Uuid.randomUuid().toString();
    private boolean formatted;
    private KafkaRaftServer server;

    private EmbeddedKafkaBroker(Builder builder) {
        try {
            this.ownsLogDir = builder.logDir == null;
            this.logDir = ownsLogDir ? Files.createTempDirectory("captioner-kafka-") : builder.logDir;
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the embedded Kafka log directory", e);
        }
        this.brokerPort = builder.brokerPort > 0 ? builder.brokerPort : freePort();
        this.controllerPort = builder.controllerPort > 0 ? builder.controllerPort : freePort();
        this.autoCreateTopics = builder.autoCreateTopics;
        this.defaultPartitions = builder.defaultPartitions;
        this.extraProperties = (Properties) builder.extra.clone();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a broker with a temporary log directory and free ports. */
    public static EmbeddedKafkaBroker startDefault() {
        EmbeddedKafkaBroker broker = builder().build();
        broker.start();
        return broker;
    }

    /** Formats the log directory on first start, then starts the node and waits until it serves requests. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        long t0 = System.nanoTime();
        awaitPortFree(brokerPort);
        awaitPortFree(controllerPort);
        KafkaConfig config = new KafkaConfig(properties(), false);
        if (!formatted && !isFormatted()) {
            format(config);
        }
        formatted = true;
        KafkaRaftServer node = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            node.startup();
        } catch (RuntimeException e) {
            node.shutdown();
            node.awaitShutdown();
            throw new IllegalStateException(
                    "embedded Kafka failed to start on 127.0.0.1:" + brokerPort + " (log dir " + logDir + "): "
                            + e.getMessage(),
                    e);
        }
        server = node;
        log.info(
                "embedded Kafka (KRaft) listening on {} in {} ms, log dir {}",
                bootstrapServers(),
                (System.nanoTime() - t0) / 1_000_000,
                logDir);
    }

    /** Stops the node (controlled shutdown); its ports and log directory are kept for {@link #start()}. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
        log.info("embedded Kafka on {} stopped", bootstrapServers());
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** {@code 127.0.0.1:port}, valid across stop/start. */
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public int port() {
        return brokerPort;
    }

    public Path logDir() {
        return logDir;
    }

    /** Stops the node and deletes the log directory if this broker created it. */
    @Override
    public synchronized void close() {
        stop();
        if (ownsLogDir) {
            deleteRecursively(logDir);
        }
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", String.valueOf(defaultPartitions));
        p.put("auto.create.topics.enable", String.valueOf(autoCreateTopics));
        // one node: every internal topic has a single replica
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // small footprint: the demo and the tests share the machine with the recogniser
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        p.put("log.cleaner.threads", "1");
        p.put("controlled.shutdown.enable", "true");
        p.putAll(extraProperties);
        return p;
    }

    private boolean isFormatted() {
        return Files.exists(logDir.resolve("meta.properties"));
    }

    private void format(KafkaConfig config) {
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId)
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setDirectories(List.of(logDir.toString()))
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot format the embedded Kafka log directory " + logDir + ": " + e.getMessage(), e);
        }
    }

    private static boolean classPresent(String name) {
        try {
            Class.forName(name, false, EmbeddedKafkaBroker.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /** After a stop the listening sockets may take a moment to be released; wait rather than fail the bind. */
    private static void awaitPortFree(int port) {
        long deadline = System.currentTimeMillis() + PORT_RELEASE_WAIT_MS;
        while (true) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return;
            } catch (IOException busy) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("port 127.0.0.1:" + port + " is still in use", busy);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for port " + port, e);
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log.warn("could not delete {}: {}", dir, e.getMessage());
        }
    }

    public static final class Builder {
        private Path logDir;
        private int brokerPort;
        private int controllerPort;
        private boolean autoCreateTopics = false;
        private int defaultPartitions = 3;
        private final Properties extra = new Properties();

        private Builder() {}

        /** Log directory to use (kept on close); default: a temporary directory deleted on close. */
        public Builder logDir(Path dir) {
            this.logDir = dir;
            return this;
        }

        /** Client port; default: a free port. */
        public Builder brokerPort(int port) {
            this.brokerPort = port;
            return this;
        }

        public Builder controllerPort(int port) {
            this.controllerPort = port;
            return this;
        }

        /** Whether the broker creates topics on first use (default false, like a locked-down cluster). */
        public Builder autoCreateTopics(boolean enabled) {
            this.autoCreateTopics = enabled;
            return this;
        }

        public Builder defaultPartitions(int partitions) {
            this.defaultPartitions = partitions;
            return this;
        }

        /** Any other broker setting, e.g. {@code create.topic.policy.class.name}. */
        public Builder brokerProperty(String key, String value) {
            this.extra.put(key, value);
            return this;
        }

        public EmbeddedKafkaBroker build() {
            return new EmbeddedKafkaBroker(this);
        }
    }
}
