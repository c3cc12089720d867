package io.captioner.service;

import io.captioner.asr.cli.TranscribeCommand;
import io.captioner.service.demo.DemoCommand;
import io.captioner.stream.tools.CaptionTail;
import io.captioner.stream.tools.SpillReplay;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code ./captioner <command>}: the service, the embedded demo and the tools. */
@Command(
        name = "./captioner",
        usageHelpWidth = 110,
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Live captions of Asterisk calls, published to Kafka.",
        footer = {
            "",
            "  test        Run the whole test suite (handled by the ./captioner script).",
            "",
            "'./captioner <command> --help' describes each command."
        })
public final class Main implements Callable<Integer> {

    @Spec
    private CommandLine.Model.CommandSpec spec;

    private Main() {}

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0 || !(args.length > 0 && args[0].equals("run"))) {
            System.exit(code);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new Main())
                .addSubcommand(new RunCommand(err))
                .addSubcommand(new DemoCommand(out, err))
                .addSubcommand(new TranscribeCommand(out, err))
                .addSubcommand(new CaptionTail(out, err))
                .addSubcommand(new BenchCommand(out, err))
                .addSubcommand(new SpillReplay(out, err))
                .addSubcommand(new CommandLine.HelpCommand())
                .setOverwrittenOptionsAllowed(true) // the last of a repeated option wins
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));
        cli.getSubcommands().values().forEach(c -> c.getCommandSpec().versionProvider(new Version()));
        return cli.execute(args);
    }

    /** No command given: the list of commands, on stderr, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    /** The build's version (the jar's Implementation-Version), for --version of every command. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"captioner " + (version != null ? version : "(built from source)")};
        }
    }
}
