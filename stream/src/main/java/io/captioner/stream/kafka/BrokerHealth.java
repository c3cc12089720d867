package io.captioner.stream.kafka;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the broker is reachable and the caption topics exist, which is what readiness reports, and the
 * last problem if not. It probes the broker every {@code probeInterval} (creating missing topics when
 * allowed), and the send path tells it how each delivery went.
 *
 * <p>Threading: its probe thread and the Kafka client's callback thread write the state, any thread reads
 * it (volatile fields; two threads that see the same change at once may both log it).
 */
final class BrokerHealth implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerHealth.class);

    private final PublisherSettings settings;
    private final Admin admin;
    private final TopicSetup topicSetup;
    private final ScheduledExecutorService prober;
    private volatile boolean brokerReachable;
    private volatile boolean topicsReady;
    private volatile String lastError;

    BrokerHealth(PublisherSettings settings) {
        this.settings = settings;
        this.admin = Admin.create(KafkaClientConfig.admin(settings));
        this.topicSetup = new TopicSetup(admin, settings);
        this.prober = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "caption-publisher-probe");
            t.setDaemon(true);
            return t;
        });
    }

    /** Probes once now (so readiness means something right away), then every {@code probeInterval}. */
    void start() {
        probe();
        long interval = settings.probeInterval().toMillis();
        prober.scheduleWithFixedDelay(this::probe, interval, interval, TimeUnit.MILLISECONDS);
    }

    boolean brokerReachable() {
        return brokerReachable;
    }

    boolean topicsReady() {
        return topicsReady;
    }

    String lastError() {
        return lastError;
    }

    /** @see CaptionPublisher#ensureTopics() */
    void ensureTopics() {
        try {
            topicSetup.ensure(settings.probeTimeout().toMillis());
            topicsReady = true;
        } catch (TimeoutException e) {
            throw new TopicSetupException(
                    "cannot reach Kafka at " + settings.bootstrapServers() + " within "
                            + settings.probeTimeout().toMillis() + " ms to check topics " + topicSetup.topics(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicSetupException("interrupted while checking topics", e);
        }
    }

    /** A send or a probe reached the broker. */
    void reachable() {
        if (!brokerReachable) {
            log.info("Kafka at {} is reachable", settings.bootstrapServers());
            brokerReachable = true;
            if (topicsReady) {
                lastError = null;
            }
        }
    }

    /** A send or a probe did not reach the broker; {@code problem} says how. */
    void unreachable(String problem) {
        if (brokerReachable || lastError == null) {
            log.error("{}; readiness is false until it recovers", problem);
        }
        brokerReachable = false;
        lastError = problem;
    }

    /** The broker refused an event for good (readiness is unaffected; the problem is reported). */
    void refused(String problem) {
        lastError = problem;
    }

    private void probe() {
        try {
            admin.describeCluster(new DescribeClusterOptions()
                            .timeoutMs((int) settings.probeTimeout().toMillis()))
                    .nodes()
                    .get(settings.probeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            reachable();
            if (!topicsReady) {
                topicSetup.ensure(settings.probeTimeout().toMillis());
                topicsReady = true;
                lastError = null;
                log.info("caption topics {} ready at {}", topicSetup.topics(), settings.bootstrapServers());
            }
        } catch (TopicSetupException e) {
            if (!e.getMessage().equals(lastError)) {
                log.error(e.getMessage());
            }
            lastError = e.getMessage();
        } catch (TimeoutException | ExecutionException e) {
            unreachable("cannot reach Kafka at " + settings.bootstrapServers() + " within "
                    + settings.probeTimeout().toMillis() + " ms"
                    + (e instanceof ExecutionException ? ": " + e.getCause().getMessage() : ""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("Kafka reachability check failed", e);
        }
    }

    /** Stops probing and closes the admin client. */
    @Override
    public void close() {
        prober.shutdownNow();
        try {
            prober.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ZERO);
    }
}
