package io.captioner.service;

import io.captioner.asr.model.ModelLoadException;
import io.captioner.config.Config;
import io.captioner.config.ConfigException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** {@code ./captioner run [--config FILE]}: the production service, until stopped (SIGTERM / Ctrl-C). */
final class RunCommand {
    static final String USAGE = """
            usage: ./captioner run [--config FILE]

            Connects to the Asterisk manager and Kafka named in the configuration and captions calls until
            stopped. On SIGTERM or Ctrl-C it ends the taps, publishes the open utterances as finals and flushes
            Kafka before it exits.

              --config FILE   YAML configuration (default: $CAPTIONER_CONFIG, else config/captioner.yaml)
            Every key can be overridden by an environment variable: ami.port -> CAPTIONER_AMI_PORT.
            """;

    private RunCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path home = home();
        Path configFile = defaultConfig(home);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    out.print(USAGE);
                    return 0;
                }
                case "--config" -> {
                    if (i + 1 == args.length) {
                        err.println("--config needs a file");
                        return 2;
                    }
                    configFile = Path.of(args[++i]);
                }
                default -> {
                    err.println("unknown option '" + args[i] + "'");
                    err.print(USAGE);
                    return 2;
                }
            }
        }
        if (!Files.isRegularFile(configFile)) {
            err.println("configuration file not found: " + configFile);
            return 2;
        }
        CaptionerApp app;
        try {
            app = CaptionerApp.start(ServiceSettings.from(Config.load(configFile, System.getenv()), home));
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
