package dev.pix2seq.cli;

import dev.pix2seq.api.ConfigException;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.runtime.backend.Backends;
import dev.pix2seq.runtime.checkpoint.Checkpoint;
import dev.pix2seq.runtime.checkpoint.LoadedCheckpoint;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pix2seq export}: a trained model in a format some backend offers ({@code
 * Backend#exporters}), found by name, so this command names no backend module.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Export a trained model (from either backend) in a format an available backend",
      "offers: savedmodel (with the TensorFlow backend) is a TensorFlow SavedModel with",
      "the signatures encode (images -> memory), logits (memory, image_of_row, tokens ->",
      "logits) and serving_default (images, tokens -> logits)."
    })
final class ExportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "RUN",
      description = "Run folder or checkpoint folder written by train.")
  Path model;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "savedmodel",
      description = "Export format, offered by an available backend (default: "
          + "${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Empty or new folder for the export.")
  Path out;

  @Override
  public Integer call() throws Exception {
    Backends.Exporting exporting;
    try {
      exporting = Backends.discover().exporting(format);
    } catch (ConfigException e) {
      throw new ParameterException(spec.commandLine(), "--format: " + e.getMessage());
    }
    try (LoadedCheckpoint checkpoint =
        Checkpoint.load(model, exporting.backend(), Device.CPU)) {
      exporting.exporter().export(checkpoint.model(), out);
    }
    PrintWriter w = spec.commandLine().getOut();
    w.println("exported " + model + " as " + format + " (" + exporting.exporter().description()
        + ") to " + out);
    w.flush();
    return 0;
  }
}
