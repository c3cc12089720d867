package io.captioner.bench;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Time per run of one feed-forward layer as three ONNX graphs written by {@code bench/moe-layer/graphs.py}:
 * the dense FFN, the MoE layer as the recipe exports it (a subgraph per expert), the same layer as ONNX
 * Runtime's fused {@code com.microsoft::MoE}, and computed densely over all experts; checks first that the
 * MoE graphs agree.
 */
@Command(
        name = "MoeLayerBenchmark",
        usageHelpWidth = 110,
        mixinStandardHelpOptions = true,
        description = "Time per run of one feed-forward layer: dense, MoE as exported, fused and batched.")
public final class MoeLayerBenchmark implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "the graphs of bench/moe-layer/graphs.py")
    private Path dir;

    @Option(names = "--frames", paramLabel = "N", description = "frames per run (default ${DEFAULT-VALUE})")
    private int frames = 16;

    @Option(names = "--runs", paramLabel = "N", description = "timed runs per graph (default ${DEFAULT-VALUE})")
    private int runs = 3000;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "ONNX Runtime intra-op threads (default ${DEFAULT-VALUE})")
    private int threads = 1;

    public static void main(String[] args) {
        System.exit(new CommandLine(new MoeLayerBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            Map<String, OrtSession> sessions = new LinkedHashMap<>();
            for (String name : new String[] {"dense", "loop", "fused", "batched"}) {
                sessions.put(name, env.createSession(dir.resolve(name + ".onnx").toString(), options));
            }
            NodeInfo input = sessions.get("dense").getInputInfo().get("x");
            int dModel = (int) ((TensorInfo) input.getInfo()).getShape()[1];
            float[] x = new float[frames * dModel];
            Random random = new Random(7);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextGaussian();
            }
            try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {frames, dModel})) {
                float[][] reference = run(sessions.get("loop"), tensor);
                double fusedGap = maxDifference(reference, run(sessions.get("fused"), tensor));
                double batchedGap = maxDifference(reference, run(sessions.get("batched"), tensor));
                System.out.printf(
                        Locale.ROOT,
                        "%d frames of width %d, %d intra-op thread(s), %d runs after %d warm-up%n",
                        frames,
                        dModel,
                        threads,
                        runs,
                        runs / 5);
                System.out.printf(
                        Locale.ROOT,
                        "max abs difference to the per-expert graph: fused %.2e, batched %.2e%n",
                        fusedGap,
                        batchedGap);
                for (Map.Entry<String, OrtSession> e : sessions.entrySet()) {
                    System.out.printf(
                            Locale.ROOT,
                            "%-6s %8.1f us per run%n",
                            e.getKey(),
                            microsPerRun(e.getValue(), tensor, runs));
                }
            } finally {
                for (OrtSession s : sessions.values()) {
                    s.close();
                }
            }
        }
        return 0;
    }

    private static float[][] run(OrtSession session, OnnxTensor x) throws OrtException {
        try (OrtSession.Result result = session.run(Map.of("x", x))) {
            return (float[][]) result.get(0).getValue();
        }
    }

    private static double maxDifference(float[][] a, float[][] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                worst = Math.max(worst, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return worst;
    }

    private static double microsPerRun(OrtSession session, OnnxTensor x, int runs) throws OrtException {
        for (int i = 0; i < runs / 5; i++) {
            session.run(Map.of("x", x)).close();
        }
        long start = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            session.run(Map.of("x", x)).close();
        }
        return (System.nanoTime() - start) / 1e3 / runs;
    }
}
