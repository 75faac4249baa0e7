package dev.pix2seq.cli;

import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.InferenceConfig;
import dev.pix2seq.demo.eval.ModelEvaluation;
import dev.pix2seq.demo.eval.ModelEvaluator;
import dev.pix2seq.runtime.backend.Backends;
import dev.pix2seq.runtime.checkpoint.Checkpoint;
import dev.pix2seq.runtime.checkpoint.LoadedCheckpoint;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code pix2seq eval}: a trained model on a COCO-format dataset, every task scored. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Run a trained model on a COCO-format dataset for every task it was trained on and",
      "score it: bbox AP; segm and keypoint AP prompted with the ground-truth boxes and",
      "with the model's own detections; BLEU-1..4 and CIDEr-D. AP is pycocotools' first",
      "stat. Writes the COCO results files, metrics.json and PR curves to --out."
    })
final class EvalCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "RUN",
      description = "Run folder or checkpoint folder written by train.")
  Path model;

  @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset folder.")
  Path data;

  @Option(names = "--tasks", paramLabel = "LIST", split = ",",
      description = "Tasks to evaluate (default: every task the model was trained on).")
  List<String> tasks;

  @Option(names = "--images", paramLabel = "N", description = "Evaluate only the first N images.")
  Integer images;

  @Option(names = "--out", paramLabel = "DIR", description = "Where to write results and plots.")
  Path out;

  @Option(names = "--json", description = "Print the metrics as one JSON object.")
  boolean json;

  @Option(names = "--backend", paramLabel = "NAME", defaultValue = "djl",
      description = "Backend (default: ${DEFAULT-VALUE}).")
  String backend;

  @Option(names = "--device", paramLabel = "cpu|gpu", defaultValue = "cpu",
      description = "Device (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
      description = "Sampling seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    Device dev;
    try {
      dev = Device.ofConfigName(device);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--device: " + e.getMessage());
    }
    InferenceConfig d = InferenceConfig.defaults();
    InferenceConfig config = new InferenceConfig(d.version(), backend, dev, d.samplers(),
        d.segmentationSamples(), d.batchSize(), seed);
    try (LoadedCheckpoint checkpoint =
        Checkpoint.load(model, Backends.discover().select(backend), dev)) {
      ModelEvaluator.Builder builder = ModelEvaluator.builder()
          .setCheckpoint(checkpoint)
          .setDataset(data)
          .optInferenceConfig(config);
      if (tasks != null) {
        builder.optTasks(tasks);
      }
      if (images != null) {
        builder.optImageLimit(images);
      }
      ModelEvaluator evaluator;
      try {
        evaluator = builder.build();
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      ModelEvaluation evaluation = evaluator.evaluate();
      if (out != null) {
        evaluation.writeAll(out);
      }
      PrintWriter w = spec.commandLine().getOut();
      w.println(json ? evaluation.toJson().toString() : evaluation.summary());
      w.flush();
    }
    return 0;
  }
}
