package io.captioner.service;

import io.captioner.asr.model.ModelLoadException;
import io.captioner.config.Config;
import io.captioner.config.ConfigException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./captioner run [--config FILE]}: the production service, until stopped (SIGTERM / Ctrl-C). */
@Command(
        name = "run",
        usageHelpWidth = 110,
        mixinStandardHelpOptions = true,
        description = {
            "Caption the calls of the configured Asterisk into the configured Kafka.",
            "",
            "Connects to the Asterisk manager and Kafka named in the configuration and captions calls until stopped."
                    + " On SIGTERM or Ctrl-C it ends the taps, publishes the open utterances as finals and flushes"
                    + " Kafka before it exits.",
            "Every key can be overridden by an environment variable: ami.port -> CAPTIONER_AMI_PORT."
        })
final class RunCommand implements Callable<Integer> {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "YAML configuration (default: $CAPTIONER_CONFIG, else config/captioner.yaml)")
    private Path configFile;

    private final PrintStream err;

    RunCommand(PrintStream err) {
        this.err = err;
    }

    @Override
    public Integer call() {
        Path home = home();
        Path config = configFile != null ? configFile : defaultConfig(home);
        if (!Files.isRegularFile(config)) {
            err.println("configuration file not found: " + config);
            return 2;
        }
        CaptionerApp app;
        try {
            app = CaptionerApp.start(ServiceSettings.from(Config.load(config, System.getenv()), home));
        } catch (ConfigException | ModelLoadException e) {
            err.println("cannot start: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("cannot start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                app.close();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } finally {
                                stopped.countDown();
                            }
                        },
                        "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    static Path home() {
        return Path.of(System.getProperty("captioner.home", "."))
                .toAbsolutePath()
                .normalize();
    }

    static Path defaultConfig(Path home) {
        String fromEnv = System.getenv("CAPTIONER_CONFIG");
        return fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv) : home.resolve("config/captioner.yaml");
    }
}
