package dev.pix2seq.cli;

import dev.pix2seq.api.config.ConfigIO;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.demo.DemoRecipe;
import dev.pix2seq.demo.DemoResult;
import dev.pix2seq.demo.DemoRun;
import dev.pix2seq.runtime.backend.Backends;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code pix2seq demo}: synthetic data, one multi-task model, evaluation and a report. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "The whole idea on this machine, offline: generate synthetic scenes (train and",
      "held-out), train one model on all four tasks within the time budget, evaluate every",
      "task on the held-out scenes (bbox/segm/keypoint AP, BLEU-4, CIDEr-D) and write",
      "DIR/report.md, DIR/report.json, loss and PR curves and annotated pictures."
    })
final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--minutes", paramLabel = "M", defaultValue = "15",
      description = "Time budget of the whole demo (default: ${DEFAULT-VALUE}).")
  double minutes;

  @Option(names = "--backend", paramLabel = "NAME", defaultValue = "tf",
      description = "Backend (default: ${DEFAULT-VALUE}, the faster trainer on 2 CPU cores, "
          + "see docs/performance.md).")
  String backend;

  @Option(names = "--device", paramLabel = "cpu|gpu", defaultValue = "cpu",
      description = "Device (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-out",
      description = "Output folder, must not hold an earlier demo (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--model-config", paramLabel = "FILE",
      description = "Model config JSON instead of the demo preset.")
  Path modelConfig;

  @Option(names = "--compare", description = "Also train one single-task model per task on "
      + "the same budget and report them side by side (doubles the time).")
  boolean compare;

  @Override
  public Integer call() throws Exception {
    if (!(minutes > 0) || minutes > 24 * 60) {
      throw new ParameterException(spec.commandLine(),
          "--minutes must be in (0, 1440], found " + minutes);
    }
    Device dev;
    try {
      dev = Device.ofConfigName(device);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--device: " + e.getMessage());
    }
    DemoRecipe recipe =
        DemoRecipe.defaults().withBudget(Duration.ofMillis(Math.round(minutes * 60_000)));
    if (modelConfig != null) {
      recipe = recipe.withModel(ConfigIO.readModel(modelConfig));
    }
    PrintWriter w = spec.commandLine().getOut();
    DemoResult result = DemoRun.builder()
        .setOutput(out)
        .setBackend(Backends.discover().select(backend))
        .optDevice(dev)
        .optRecipe(recipe)
        .optCompareSingleTask(compare)
        .optStatus(line -> {
          w.println(line);
          w.flush();
        })
        .build()
        .run();
    w.println(result.summary());
    w.println("report: " + result.reportMarkdown());
    w.flush();
    return 0;
  }
}
