import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one ONNX graph in ONNX Runtime (the runtime the Java service uses) on raw little-endian
 * inputs and writes each output as raw float32 plus a .shape file, so the Python tests can compare
 * an export with PyTorch without a Python ONNX Runtime.
 *
 * Usage: java -cp onnxruntime.jar OrtRun.java model.onnx manifest.txt out_dir
 * manifest lines: name<TAB>dtype(f32|i64|bool)<TAB>dims(comma separated, empty for a scalar)<TAB>path
 *
 * Streaming: java -cp onnxruntime.jar OrtRun.java --stream encoder.onnx fbank.f32 out_dir
 * feeds the fbank [T, 80] chunk by chunk with WeNet's runtime schedule (67 frames, then 64 new
 * plus 3 overlap; a last chunk of at least 7 frames), carrying the caches, and writes all output
 * frames concatenated as output.f32 / output.shape.
 */
public class OrtRun {
    public static void main(String[] args) throws Exception {
        if (args[0].equals("--stream")) {
            stream(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
            return;
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> inputs = new HashMap<>();
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            if (line.isBlank()) continue;
            String[] f = line.split("\t");
            long[] shape = f[2].isEmpty() ? new long[0]
                    : java.util.Arrays.stream(f[2].split(",")).mapToLong(Long::parseLong).toArray();
            ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(Path.of(f[3]))).order(ByteOrder.LITTLE_ENDIAN);
            inputs.put(f[0], switch (f[1]) {
                case "f32" -> OnnxTensor.createTensor(env, buf.asFloatBuffer(), shape);
                case "i64" -> OnnxTensor.createTensor(env, buf.asLongBuffer(), shape);
                case "bool" -> OnnxTensor.createTensor(env, ByteBuffer.allocateDirect(buf.remaining()).put(buf).flip(),
                        shape, OnnxJavaType.BOOL);
                default -> throw new IllegalArgumentException("unsupported dtype " + f[1]);
            });
        }
        try (OrtSession session = env.createSession(args[0], new OrtSession.SessionOptions());
             OrtSession.Result result = session.run(inputs)) {
            for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : result) {
                OnnxTensor t = (OnnxTensor) e.getValue();
                write(Path.of(args[2]), e.getKey(), t);
            }
        }
    }

    private static void stream(Path model, Path fbank, Path outDir) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        java.nio.FloatBuffer feats = ByteBuffer.wrap(Files.readAllBytes(fbank)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        int bins = 80, frames = feats.remaining() / bins;
        float[] all = new float[frames * bins];
        feats.get(all);
        try (OrtSession session = env.createSession(model.toString(), new OrtSession.SessionOptions())) {
            Map<String, String> meta = session.getMetadata().getCustomMetadata();
            int layers = Integer.parseInt(meta.get("num_blocks")), heads = Integer.parseInt(meta.get("head"));
            int dim = Integer.parseInt(meta.get("output_size")), kernel = Integer.parseInt(meta.get("cnn_module_kernel"));
            int window = Integer.parseInt(meta.get("decoding_window"));
            int stride = Integer.parseInt(meta.get("chunk_size")) * Integer.parseInt(meta.get("subsampling_rate"));
            int minFrames = Integer.parseInt(meta.get("right_context")) + 1;
            OnnxTensor att = OnnxTensor.createTensor(env, java.nio.FloatBuffer.allocate(0),
                    new long[] {layers, heads, 0, 2L * dim / heads});
            OnnxTensor cnn = OnnxTensor.createTensor(env, java.nio.FloatBuffer.allocate(layers * dim * (kernel - 1)),
                    new long[] {layers, 1, dim, kernel - 1});
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            long offset = 0;
            for (int start = 0; start < frames; start += stride) {
                int n = Math.min(window, frames - start);
                if (n < minFrames) break;
                float[] chunk = java.util.Arrays.copyOfRange(all, start * bins, (start + n) * bins);
                Map<String, OnnxTensor> in = new HashMap<>();
                in.put("chunk", OnnxTensor.createTensor(env, java.nio.FloatBuffer.wrap(chunk), new long[] {1, n, bins}));
                in.put("offset", OnnxTensor.createTensor(env, offset));
                in.put("att_cache", att);
                in.put("cnn_cache", cnn);
                OrtSession.Result r = session.run(in);
                OnnxTensor y = (OnnxTensor) r.get("output").get();
                java.nio.FloatBuffer fb = y.getFloatBuffer();
                ByteBuffer bytes = ByteBuffer.allocate(fb.remaining() * 4).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(fb);
                out.write(bytes.array());
                offset += y.getInfo().getShape()[1];
                att = (OnnxTensor) r.get("r_att_cache").get();
                cnn = (OnnxTensor) r.get("r_cnn_cache").get();
                if (start + window >= frames) break;
            }
            Files.write(outDir.resolve("output.f32"), out.toByteArray());
            Files.writeString(outDir.resolve("output.shape"), "1," + offset + "," + dim);
        }
    }

    private static void write(Path dir, String name, OnnxTensor t) throws IOException {
        long[] shape = t.getInfo().getShape();
        java.nio.FloatBuffer fb = t.getFloatBuffer();
        ByteBuffer out = ByteBuffer.allocate(fb.remaining() * 4).order(ByteOrder.LITTLE_ENDIAN);
        out.asFloatBuffer().put(fb);
        Files.write(dir.resolve(name + ".f32"), out.array());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) sb.append(i == 0 ? "" : ",").append(shape[i]);
        Files.writeString(dir.resolve(name + ".shape"), sb.toString());
    }
}
