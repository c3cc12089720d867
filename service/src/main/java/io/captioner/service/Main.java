package io.captioner.service;

import io.captioner.asr.cli.TranscribeCommand;
import io.captioner.service.demo.DemoCommand;
import io.captioner.stream.tools.CaptionTail;
import java.io.PrintStream;
import java.util.Arrays;

/** {@code ./captioner <command>}: the service, the embedded demo and the tools. */
public final class Main {
    static final String USAGE = """
            usage: ./captioner <command> [options]

            commands:
              run         caption the calls of the configured Asterisk into the configured Kafka
              demo        everything embedded: simulated calls -> recognition -> in-process Kafka -> captions
              transcribe  transcribe wav files or a Kaldi wav.scp with a model
              tail        show the captions of a Kafka topic as they arrive
              bench       how many calls this machine captions at once in real time, and how fast
              test        run the whole test suite (handled by the ./captioner script)

            './captioner <command> --help' describes each command.
            """;

    private Main() {}

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0 || !(args.length > 0 && args[0].equals("run"))) {
            System.exit(code);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "run" -> RunCommand.run(rest, out, err);
            case "demo" -> DemoCommand.run(rest, out, err);
            case "transcribe" -> TranscribeCommand.run(rest, out, err);
            case "tail" -> CaptionTail.run(rest, out, err);
            case "bench" -> BenchCommand.run(rest, out, err);
            default -> {
                err.println("unknown command '" + args[0] + "'");
                err.print(USAGE);
                yield 2;
            }
        };
    }
}
