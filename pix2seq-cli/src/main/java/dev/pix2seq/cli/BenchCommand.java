package dev.pix2seq.cli;

import dev.pix2seq.api.config.ConfigIO;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.runtime.backend.Backends;
import dev.pix2seq.runtime.bench.ThroughputBenchmark;
import dev.pix2seq.runtime.checkpoint.Checkpoint;
import dev.pix2seq.runtime.checkpoint.CheckpointManifest;
import dev.pix2seq.tokenizer.Vocabulary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
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
      "Medians over repetitions after a warm-up (at least one run and --warmup-seconds)."
    })
final class BenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--backend", paramLabel = "NAMES", split = ",", defaultValue = "djl",
      description = "Backends, measured one after the other in this run, e.g. djl,tf "
          + "(default: ${DEFAULT-VALUE}).")
  List<String> backends;

  @Option(names = "--preset", paramLabel = "NAME",
      description = "Model preset (default: tiny).")
  String preset;

  @Option(names = "--model-config", paramLabel = "FILE",
      description = "Any network as a model config JSON file, instead of a preset.")
  Path modelConfig;

  @Option(names = "--model", paramLabel = "RUN",
      description = "The network and vocabulary size of a run or checkpoint folder (trained or "
          + "imported), instead of a preset; its weights are not read.")
  Path run;

  @Option(names = "--no-train", description = "Measure decoding only.")
  boolean noTrain;

  @Option(names = "--vocab-size", paramLabel = "N",
      description = "Whole vocabulary size; default: the default layout plus --text-vocab text "
          + "tokens.")
  Integer vocabSize;

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

  @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = "3",
      description = "Untimed runs before each figure go on until they took S seconds "
          + "(at least one run; default: ${DEFAULT-VALUE}).")
  double warmupSeconds;

  @Option(names = "--repeat", paramLabel = "N", defaultValue = "3",
      description = "Timed repetitions, median reported (default: ${DEFAULT-VALUE}).")
  int repeat;

  @Option(names = "--text-vocab", paramLabel = "N",
      description = "Text tokens in the vocabulary, after the default layout (default: 1000).")
  Integer textVocabulary;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON.")
  Path json;

  @Override
  public Integer call() throws Exception {
    if ((preset != null ? 1 : 0) + (modelConfig != null ? 1 : 0) + (run != null ? 1 : 0) > 1) {
      throw new ParameterException(spec.commandLine(),
          "give one of --preset, --model-config and --model");
    }
    ModelConfig model;
    ThroughputBenchmark.Plan plan;
    String name;
    if (textVocabulary != null && (vocabSize != null || run != null)) {
      throw new ParameterException(spec.commandLine(), "--text-vocab sizes the default "
          + "vocabulary; it cannot be combined with --vocab-size or --model");
    }
    if (textVocabulary != null && textVocabulary < 0) {
      throw new ParameterException(spec.commandLine(),
          "--text-vocab must be >= 0, found " + textVocabulary);
    }
    // The default layout plus a caption vocabulary of typical size, unless given.
    int vocabulary = Vocabulary.defaultLayout().textBase()
        + (textVocabulary == null ? 1000 : textVocabulary);
    try {
      if (modelConfig != null) {
        model = ConfigIO.readModel(modelConfig);
        name = modelConfig.toString();
      } else if (run != null) {
        CheckpointManifest manifest = Checkpoint.readManifest(run);
        model = manifest.model();
        vocabulary = manifest.vocabSize();
        name = run.toString();
      } else {
        name = preset == null ? "tiny" : preset;
        model = ModelConfig.preset(name);
      }
      if (!(warmupSeconds >= 0) || Double.isInfinite(warmupSeconds)) {
        throw new IllegalArgumentException(
            "--warmup-seconds must be a finite number >= 0, found " + warmupSeconds);
      }
      if (tokens < 2 || tokens + 1 > model.maxSequenceLength()) {
        throw new IllegalArgumentException("--tokens must be from 2 to "
            + (model.maxSequenceLength() - 1) + " for this model (its maxSequenceLength is "
            + model.maxSequenceLength() + "), found " + tokens);
      }
      plan = new ThroughputBenchmark.Plan(batches, tokens, noTrain ? 0 : trainBatch, tokens, 1,
          warmupSeconds, repeat);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (vocabSize != null) {
      if (vocabSize < 1) {
        throw new ParameterException(spec.commandLine(),
            "--vocab-size must be >= 1, found " + vocabSize);
      }
      vocabulary = vocabSize;
    }
    PrintWriter out = spec.commandLine().getOut();
    Backends available = Backends.discover();
    List<ThroughputBenchmark.Report> reports = new ArrayList<>();
    for (String backend : backends) {
      out.printf(Locale.ROOT, "backend %s, model %s, vocabulary %d, %d threads available%n",
          backend, name, vocabulary, Runtime.getRuntime().availableProcessors());
      out.flush();
      ThroughputBenchmark bench = new ThroughputBenchmark(
          available.select(backend), model, vocabulary, Device.ofConfigName(device));
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
