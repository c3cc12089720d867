package io.captioner.asr;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The machine a measurement ran on, in one line, for benchmark reports. */
public final class Machine {
    private Machine() {}

    public static String describe() {
        String cpu = "unknown CPU";
        try {
            Path info = Path.of("/proc/cpuinfo");
            if (Files.exists(info)) {
                cpu = Files.readAllLines(info).stream()
                        .filter(l -> l.startsWith("model name"))
                        .map(l -> l.substring(l.indexOf(':') + 1).strip())
                        .findFirst()
                        .orElse(cpu);
            }
        } catch (IOException ignored) {
            // keep "unknown CPU"
        }
        return String.format(
                Locale.ROOT,
                "%d cores (available to the JVM), %s, %s %s, Java %s (%s), ONNX Runtime %s, " + "max heap %d MB",
                Runtime.getRuntime().availableProcessors(),
                cpu,
                System.getProperty("os.name"),
                System.getProperty("os.arch"),
                System.getProperty("java.version"),
                System.getProperty("java.vm.name"),
                OrtEnvironment.getEnvironment().getVersion(),
                Runtime.getRuntime().maxMemory() / (1024 * 1024));
    }
}
