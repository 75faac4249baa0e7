package dev.pix2seq.cli;

import dev.pix2seq.api.config.ConfigIO;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.runtime.backend.Backends;
import dev.pix2seq.runtime.bench.ThroughputBenchmark;
import dev.pix2seq.tokenizer.Vocabulary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code pix2seq bench}: decode and training throughput of a backend on random weights. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure a backend on random weights: greedy decoding tokens/s with the key/value",
      "cache and with full recomputation, and training images/s (forward, backward, AdamW).",
      "Medians over repetitions after a warm-up."
    })
final class BenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--backend", paramLabel = "NAMES", split = ",", defaultValue = "djl",
      description = "Backends, measured one after the other in this run, e.g. djl,tf "
          + "(default: ${DEFAULT-VALUE}).")
  List<String> backends;

  @Option(names = "--preset", paramLabel = "NAME", defaultValue = "tiny",
      description = "Model preset (default: ${DEFAULT-VALUE}).")
  String preset;

  @Option(names = "--device", paramLabel = "cpu|gpu", defaultValue = "cpu",
      description = "Device (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--batch", paramLabel = "N", split = ",", defaultValue = "1,8",
      description = "Decode batch sizes (default: ${DEFAULT-VALUE}).")
  List<Integer> batches;

  @Option(names = "--tokens", paramLabel = "N", defaultValue = "100",
      description = "Tokens generated per row (default: ${DEFAULT-VALUE}).")
  int tokens;

  @Option(names = "--train-batch", paramLabel = "N", defaultValue = "8",
      description = "Images per training step (default: ${DEFAULT-VALUE}).")
  int trainBatch;

  @Option(names = "--repeat", paramLabel = "N", defaultValue = "3",
      description = "Timed repetitions, median reported (default: ${DEFAULT-VALUE}).")
  int repeat;

  @Option(names = "--text-vocab", paramLabel = "N", defaultValue = "1000",
      description = "Text tokens in the vocabulary (default: ${DEFAULT-VALUE}).")
  int textVocabulary;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON.")
  Path json;

  @Override
  public Integer call() throws Exception {
    ModelConfig model;
    ThroughputBenchmark.Plan plan;
    try {
      model = ModelConfig.preset(preset);
      plan = new ThroughputBenchmark.Plan(batches, tokens, trainBatch, tokens, 1, repeat);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    // The default layout plus a caption vocabulary of typical size.
    int vocabSize = Vocabulary.defaultLayout().textBase() + textVocabulary;
    PrintWriter out = spec.commandLine().getOut();
    Backends available = Backends.discover();
    List<ThroughputBenchmark.Report> reports = new java.util.ArrayList<>();
    for (String backend : backends) {
      out.printf(Locale.ROOT, "backend %s, preset %s, %d threads available%n", backend, preset,
          Runtime.getRuntime().availableProcessors());
      out.flush();
      ThroughputBenchmark bench = new ThroughputBenchmark(
          available.select(backend), model, vocabSize, Device.ofConfigName(device));
      reports.add(bench.run(plan, line -> {
        out.println("  " + line);
        out.flush();
      }));
    }
    if (json != null) {
      ConfigIO.writeAtomically(json,
          ConfigIO.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(reports));
    }
    return 0;
  }
}
