package io.captioner.asr.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Rewrites the metadata_props (field 14 of ModelProto) of an ONNX file at the protobuf wire level,
 * leaving every other field byte for byte, to make exports whose metadata contradicts their graph.
 */
public final class OnnxMetadataEditor {
    private static final int METADATA_PROPS = 14;

    private OnnxMetadataEditor() {}

    public static void edit(Path onnx, Consumer<Map<String, String>> change) throws IOException {
        byte[] in = Files.readAllBytes(onnx);
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        Map<String, String> metadata = new LinkedHashMap<>();
        int[] pos = {0};
        while (pos[0] < in.length) {
            int start = pos[0];
            long tag = varint(in, pos);
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            int bodyStart = pos[0];
            int bodyEnd = switch (wire) {
                case 0 -> {
                    varint(in, pos);
                    yield pos[0];
                }
                case 1 -> pos[0] + 8;
                case 2 -> {
                    int len = (int) varint(in, pos);
                    bodyStart = pos[0];
                    yield pos[0] + len;
                }
                case 5 -> pos[0] + 4;
                default -> throw new IOException("unsupported wire type " + wire + " in " + onnx);
            };
            if (field == METADATA_PROPS && wire == 2) {
                readEntry(in, bodyStart, bodyEnd, metadata);
            } else {
                kept.write(in, start, bodyEnd - start);
            }
            pos[0] = bodyEnd;
        }
        change.accept(metadata);
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            ByteArrayOutputStream entry = new ByteArrayOutputStream();
            writeString(entry, 1, e.getKey());
            writeString(entry, 2, e.getValue());
            writeBytes(kept, METADATA_PROPS, entry.toByteArray());
        }
        Files.write(onnx, kept.toByteArray());
    }

    private static void readEntry(byte[] in, int from, int to, Map<String, String> out) {
        int[] pos = {from};
        String key = null;
        String value = "";
        while (pos[0] < to) {
            long tag = varint(in, pos);
            int len = (int) varint(in, pos);
            String s = new String(in, pos[0], len, StandardCharsets.UTF_8);
            if ((tag >>> 3) == 1) {
                key = s;
            } else if ((tag >>> 3) == 2) {
                value = s;
            }
            pos[0] += len;
        }
        out.put(key, value);
    }

    private static long varint(byte[] in, int[] pos) {
        long result = 0;
        int shift = 0;
        while (true) {
            byte b = in[pos[0]++];
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
            shift += 7;
        }
    }

    private static void writeString(ByteArrayOutputStream out, int field, String value) {
        writeBytes(out, field, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeBytes(ByteArrayOutputStream out, int field, byte[] bytes) {
        writeVarint(out, ((long) field << 3) | 2);
        writeVarint(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
