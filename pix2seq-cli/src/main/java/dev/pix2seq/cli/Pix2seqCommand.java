package dev.pix2seq.cli;

import dev.pix2seq.api.Pix2seqException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code pix2seq} root command. Errors print one clear line and exit non-zero: 2 for bad
 * arguments, 1 for failures (bad dataset, bad checkpoint, I/O).
 *
 * <pre>{@code ./pix2seq synth --out data --images 200 --seed 1}</pre>
 */
@Command(
    name = "pix2seq",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Pix2seq v2 on the JVM: one model, one vocabulary, four vision tasks.",
    subcommands = {
      SynthCommand.class,
      ShowCommand.class,
      TrainCommand.class,
      PredictCommand.class,
      EvalCommand.class,
      DemoCommand.class,
      ExportCommand.class,
      ImportOfficialCommand.class,
      LogitsCommand.class,
      BenchCommand.class,
      CocoEvalCommand.class,
      CaptionEvalCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Pix2seqCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs the command line and returns the exit code. */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new Pix2seqCommand());
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          if (ex instanceof Pix2seqException || ex instanceof IllegalArgumentException
              || ex instanceof java.io.IOException || ex instanceof java.io.UncheckedIOException) {
            err.println("pix2seq " + commandLine.getCommandName() + ": " + ex.getMessage());
          } else {
            err.println("pix2seq " + commandLine.getCommandName() + ": internal error: " + ex);
            ex.printStackTrace(err);
          }
          err.flush();
          return 1;
        });
    return cli.execute(args);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }
}
