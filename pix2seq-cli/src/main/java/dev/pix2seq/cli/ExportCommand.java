package dev.pix2seq.cli;

import dev.pix2seq.api.config.Device;
import dev.pix2seq.runtime.backend.Backends;
import dev.pix2seq.runtime.checkpoint.Checkpoint;
import dev.pix2seq.runtime.checkpoint.LoadedCheckpoint;
import dev.pix2seq.tf.SavedModelExport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code pix2seq export}: a trained model as a TensorFlow SavedModel for serving. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Export a trained model (from either backend) as a TensorFlow SavedModel with the",
      "signatures encode (images -> memory), logits (memory, image_of_row, tokens ->",
      "logits) and serving_default (images, tokens -> logits)."
    })
final class ExportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "RUN",
      description = "Run folder or checkpoint folder written by train.")
  Path model;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "savedmodel",
      description = "Export format; savedmodel is the one there is (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Empty or new folder for the export.")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (!format.equals("savedmodel")) {
      throw new ParameterException(spec.commandLine(),
          "--format must be savedmodel, found '" + format + "'");
    }
    try (LoadedCheckpoint checkpoint =
        Checkpoint.load(model, Backends.discover().select("tf"), Device.CPU)) {
      SavedModelExport.export(checkpoint.model(), out);
    }
    PrintWriter w = spec.commandLine().getOut();
    w.println("exported " + model + " as a SavedModel to " + out);
    w.flush();
    return 0;
  }
}
