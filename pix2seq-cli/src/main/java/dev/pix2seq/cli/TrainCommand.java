package dev.pix2seq.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pix2seq.api.ConfigException;
import dev.pix2seq.api.config.ConfigIO;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.runtime.backend.Backends;
import dev.pix2seq.runtime.train.ProgressBar;
import dev.pix2seq.runtime.train.TaskOptionsFile;
import dev.pix2seq.tasks.TaskRegistry;
import dev.pix2seq.tokenizer.Vocabulary;
import dev.pix2seq.runtime.train.TrainingRun;
import dev.pix2seq.runtime.train.TrainingSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code pix2seq train}: trains one multi-task model on a COCO-format dataset. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train one model on several tasks of a COCO-format dataset (as written by synth:",
      "DIR/images, DIR/annotations/instances.json, DIR/annotations/captions.json).",
      "Writes RUN/checkpoint (model.json, vocab.json, tokenizer.json, weights.safetensors,",
      "train-state/) every --checkpoint-every steps and at the end, and RUN/metrics.jsonl.",
      "Options override --config, which overrides the defaults."
    })
final class TrainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset folder.")
  Path data;

  @Option(names = "--out", required = true, paramLabel = "RUN", description = "Run folder.")
  Path out;

  @Option(names = "--preset", paramLabel = "NAME",
      description = "Model preset: tiny, demo, small or base (default: tiny).")
  String preset;

  @Option(names = "--model-config", paramLabel = "FILE",
      description = "Model config JSON (a preset plus overrides).")
  Path modelConfig;

  @Option(names = "--config", paramLabel = "FILE", description = "Training config JSON.")
  Path trainConfig;

  @Option(names = "--task-options", paramLabel = "FILE",
      description = "Per-task options JSON, e.g. {\"detect\": {\"maxObjects\": 15}}.")
  Path taskOptions;

  @Option(names = "--coord-bins", paramLabel = "N",
      description = "Coordinate bins of a new model (default: 1000; about the input size in "
          + "pixels learns faster).")
  Integer coordBins;

  @Option(names = "--tasks", paramLabel = "LIST", split = ",",
      description = "Tasks, e.g. detect,segment,keypoint,describe (default: all four).")
  List<String> tasks;

  @Option(names = "--steps", paramLabel = "N", description = "Optimiser steps.")
  Integer steps;

  @Option(names = "--batch", paramLabel = "N", description = "Images per batch.")
  Integer batch;

  @Option(names = "--lr", paramLabel = "X", description = "Peak learning rate.")
  Double learningRate;

  @Option(names = "--warmup", paramLabel = "N", description = "Warm-up steps.")
  Integer warmup;

  @Option(names = "--seed", paramLabel = "S", description = "Seed of every random choice.")
  Long seed;

  @Option(names = "--checkpoint-every", paramLabel = "N",
      description = "Steps between checkpoints (0: only at the end).")
  Integer checkpointEvery;

  @Option(names = "--device", paramLabel = "cpu|gpu", description = "Where to train.")
  String device;

  @Option(names = "--backend", paramLabel = "NAME", defaultValue = "djl",
      description = "Backend (default: ${DEFAULT-VALUE}).")
  String backend;

  @Option(names = "--minutes", paramLabel = "M",
      description = "Time budget: stop (with a checkpoint) after M minutes.")
  Double minutes;

  @Option(names = "--resume", description = "Continue the run in --out from its checkpoint.")
  boolean resume;

  @Override
  public Integer call() throws Exception {
    ModelConfig model = modelConfig();
    TrainConfig train = trainConfig();
    TrainingRun.Builder builder = TrainingRun.builder()
        .setDataset(data)
        .setModelConfig(model)
        .setTrainConfig(train)
        .setBackend(Backends.discover().select(backend))
        .setOutput(out)
        .optResume(resume)
        .optListener(ProgressBar.forStderr());
    if (coordBins != null) {
      try {
        builder.optVocabLayout(Vocabulary.defaultLayout().withCoordBins(coordBins));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--coord-bins: " + e.getMessage());
      }
    }
    if (taskOptions != null) {
      TaskOptionsFile.read(taskOptions, TaskRegistry.discover(getClass().getClassLoader()))
          .forEach(builder::optTaskOptions);
    }
    if (minutes != null) {
      if (!(minutes > 0)) {
        throw new ParameterException(spec.commandLine(), "--minutes must be > 0, found " + minutes);
      }
      builder.optTimeBudget(Duration.ofMillis(Math.round(minutes * 60_000)));
    }
    PrintWriter w = spec.commandLine().getOut();
    w.printf(Locale.ROOT, "training %s on %s with backend %s, preset %s, %d steps of %d%n",
        train.tasks(), data, backend, model.preset(), train.steps(), train.batchSize());
    w.flush();
    TrainingRun run = builder.build();
    // Ctrl-C saves a checkpoint before the JVM exits, so the run can be resumed.
    CountDownLatch finished = new CountDownLatch(1);
    Thread stopper = new Thread(() -> {
      run.requestStop();
      try {
        finished.await(120, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "pix2seq-train-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    TrainingSummary summary;
    try {
      summary = run.run();
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(stopper);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting; the hook has seen the run finish
      }
    }
    w.printf(Locale.ROOT, "%s after step %d of %d (loss %.4f, %.1f s); checkpoint: %s%n",
        summary.completed() ? "finished" : "stopped (" + summary.reason() + ")",
        summary.lastStep(), summary.totalSteps(), summary.finalLoss(), summary.elapsedSeconds(),
        summary.checkpoint());
    w.flush();
    return 0;
  }

  private ModelConfig modelConfig() throws ConfigException {
    if (modelConfig != null && preset != null) {
      throw new ParameterException(spec.commandLine(),
          "give --preset or --model-config, not both (a model config names its own preset)");
    }
    if (modelConfig != null) {
      return ConfigIO.readModel(modelConfig);
    }
    try {
      return ModelConfig.preset(preset == null ? "tiny" : preset);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--preset: " + e.getMessage());
    }
  }

  private TrainConfig trainConfig() throws ConfigException {
    TrainConfig base = trainConfig == null
        ? TrainConfig.defaults()
        : ConfigIO.read(trainConfig, TrainConfig.class, TrainConfig.defaults());
    ObjectNode o = ConfigIO.mapper().createObjectNode();
    if (tasks != null) {
      ArrayNode a = o.putArray("tasks");
      tasks.forEach(a::add);
    }
    if (steps != null) {
      o.put("steps", steps);
    }
    if (batch != null) {
      o.put("batchSize", batch);
    }
    if (learningRate != null) {
      o.put("learningRate", learningRate);
    }
    if (warmup != null) {
      o.put("warmupSteps", warmup);
    }
    if (seed != null) {
      o.put("seed", seed);
    }
    if (checkpointEvery != null) {
      o.put("checkpointEvery", checkpointEvery);
    }
    if (device != null) {
      o.put("device", device);
    }
    return ConfigIO.parse(o.toString(), "command line", TrainConfig.class, base);
  }
}
