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

/**
 * Time per run of one feed-forward layer as three ONNX graphs written by {@code bench/moe-layer/graphs.py}:
 * the dense FFN, the MoE layer as the recipe exports it (a subgraph per expert), the same layer as ONNX
 * Runtime's fused {@code com.microsoft::MoE}, and computed densely over all experts; checks first that the
 * MoE graphs agree.
 * <pre>
 * MoeLayerBenchmark DIR [--frames N] [--runs N] [--threads N]
 * </pre>
 */
public final class MoeLayerBenchmark {
    private MoeLayerBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: MoeLayerBenchmark DIR [--frames N] [--runs N] [--threads N]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int frames = 16;
        int runs = 3000;
        int threads = 1;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--frames" -> frames = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
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
