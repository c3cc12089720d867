package io.captioner.asr.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads RIFF/WAVE files into mono 16-bit PCM: integer PCM (8, 16, 24, 32 bit), 32-bit float,
 * G.711 mu-law (format 7) and A-law (format 6), also inside WAVE_FORMAT_EXTENSIBLE. One channel is
 * picked from multi-channel files. Anything else, and truncated files, fail with a message naming
 * the file and the problem.
 */
public final class WavReader {
    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_FLOAT = 3;
    private static final int FORMAT_ALAW = 6;
    private static final int FORMAT_ULAW = 7;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;

    private WavReader() {}

    /** Reads channel 0. */
    public static PcmAudio read(Path file) throws IOException {
        return read(file, 0);
    }

    public static PcmAudio read(Path file, int channel) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return parse(bytes, channel, file.toString());
    }

    public static PcmAudio parse(byte[] bytes, int channel, String name) throws AudioFormatException {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12) {
            throw error(name, "truncated: " + bytes.length + " bytes, shorter than a RIFF header");
        }
        if (!"RIFF".equals(tag(bytes, 0)) || !"WAVE".equals(tag(bytes, 8))) {
            throw error(
                    name, "not a RIFF/WAVE file (header '" + printable(bytes, 0) + "', '" + printable(bytes, 8) + "')");
        }
        Format format = null;
        int pos = 12;
        while (pos + 8 <= bytes.length) {
            String id = tag(bytes, pos);
            long size = Integer.toUnsignedLong(buf.getInt(pos + 4));
            int body = pos + 8;
            if ("fmt ".equals(id)) {
                if (size < 16 || body + size > bytes.length) {
                    throw error(
                            name,
                            "truncated or malformed fmt chunk (" + size + " bytes declared, " + (bytes.length - body)
                                    + " present)");
                }
                format = Format.parse(buf, body, (int) size, name);
            } else if ("data".equals(id)) {
                if (format == null) {
                    throw error(name, "data chunk before fmt chunk");
                }
                long available = bytes.length - body;
                if (size > available) {
                    throw error(
                            name,
                            "truncated: data chunk declares " + size + " bytes but only " + available + " are present");
                }
                return decode(buf, body, (int) size, format, channel, name);
            }
            pos = (int)
                    Math.min((long) body + size + (size & 1), bytes.length); // a chunk that claims more ends the file
        }
        throw error(name, format == null ? "no fmt chunk" : "truncated: no data chunk");
    }

    private static PcmAudio decode(ByteBuffer buf, int start, int size, Format f, int channel, String name)
            throws AudioFormatException {
        if (channel < 0 || channel >= f.channels) {
            throw error(name, "channel " + channel + " requested but the file has " + f.channels);
        }
        int bytesPerSample = f.bitsPerSample / 8;
        int frameBytes = bytesPerSample * f.channels;
        int frames = size / frameBytes;
        short[] out = new short[frames];
        for (int i = 0; i < frames; i++) {
            int p = start + i * frameBytes + channel * bytesPerSample;
            out[i] = sample(buf, p, f);
        }
        return new PcmAudio(f.sampleRate, out);
    }

    private static short sample(ByteBuffer buf, int p, Format f) {
        switch (f.code) {
            case FORMAT_ULAW:
                return G711.ulawToLinear(buf.get(p));
            case FORMAT_ALAW:
                return G711.alawToLinear(buf.get(p));
            case FORMAT_FLOAT:
                float v = buf.getFloat(p) * 32768f;
                return (short) Math.max(-32768, Math.min(32767, Math.round(v)));
            default:
                switch (f.bitsPerSample) {
                    case 8:
                        return (short) (((buf.get(p) & 0xFF) - 128) << 8);
                    case 16:
                        return buf.getShort(p);
                    case 24:
                        return (short) ((buf.get(p + 1) & 0xFF) | (buf.get(p + 2) << 8));
                    default:
                        return (short) (buf.getInt(p) >> 16);
                }
        }
    }

    private record Format(int code, int channels, int sampleRate, int bitsPerSample) {
        static Format parse(ByteBuffer buf, int p, int size, String name) throws AudioFormatException {
            int code = buf.getShort(p) & 0xFFFF;
            int channels = buf.getShort(p + 2) & 0xFFFF;
            int rate = buf.getInt(p + 4);
            int bits = buf.getShort(p + 14) & 0xFFFF;
            if (code == FORMAT_EXTENSIBLE) {
                if (size < 40) {
                    throw error(name, "WAVE_FORMAT_EXTENSIBLE fmt chunk too short (" + size + " bytes)");
                }
                code = buf.getShort(p + 24) & 0xFFFF; // first two bytes of the sub-format GUID
            }
            if (channels < 1) {
                throw error(name, "fmt chunk declares " + channels + " channels");
            }
            if (rate <= 0) {
                throw error(name, "fmt chunk declares sample rate " + rate);
            }
            boolean supported = switch (code) {
                case FORMAT_PCM -> bits == 8 || bits == 16 || bits == 24 || bits == 32;
                case FORMAT_FLOAT -> bits == 32;
                case FORMAT_ULAW, FORMAT_ALAW -> bits == 8;
                default -> false;
            };
            if (!supported) {
                throw error(
                        name,
                        "unsupported encoding: format code " + code + " (" + formatName(code) + ") with "
                                + bits + " bits per sample; supported are PCM 8/16/24/32-bit, float 32-bit, "
                                + "mu-law (7) and A-law (6)");
            }
            return new Format(code, channels, rate, bits);
        }
    }

    private static String formatName(int code) {
        return switch (code) {
            case FORMAT_PCM -> "PCM";
            case 2 -> "Microsoft ADPCM";
            case FORMAT_FLOAT -> "IEEE float";
            case FORMAT_ALAW -> "A-law";
            case FORMAT_ULAW -> "mu-law";
            case 0x11 -> "IMA ADPCM";
            case 0x31 -> "GSM 6.10";
            case 0x55 -> "MPEG layer 3";
            default -> "unknown";
        };
    }

    private static String tag(byte[] b, int p) {
        return new String(b, p, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static String printable(byte[] b, int p) {
        StringBuilder s = new StringBuilder();
        for (int i = p; i < p + 4; i++) {
            char c = (char) (b[i] & 0xFF);
            s.append(c >= 32 && c < 127 ? c : '?');
        }
        return s.toString();
    }

    private static AudioFormatException error(String name, String what) {
        return new AudioFormatException(name + ": " + what);
    }
}
