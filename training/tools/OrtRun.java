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
 * manifest lines: name dtype(f32|i64|bool) dims(comma separated, "" for a scalar) path
 */
public class OrtRun {
    public static void main(String[] args) throws Exception {
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
