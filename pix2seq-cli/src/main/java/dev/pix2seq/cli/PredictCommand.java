package dev.pix2seq.cli;

import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.InferenceConfig;
import dev.pix2seq.api.sampling.SamplerSpec;
import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Caption;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.Detection;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.data.image.ImageFiles;
import dev.pix2seq.data.image.ImageReadOptions;
import dev.pix2seq.runtime.backend.Backends;
import dev.pix2seq.runtime.checkpoint.Checkpoint;
import dev.pix2seq.runtime.checkpoint.LoadedCheckpoint;
import dev.pix2seq.runtime.predict.CocoResultsWriter;
import dev.pix2seq.runtime.predict.ImagePredictions;
import dev.pix2seq.runtime.predict.KeypointPrediction;
import dev.pix2seq.runtime.predict.MaskPrediction;
import dev.pix2seq.runtime.predict.ObjectInstance;
import dev.pix2seq.runtime.predict.Pix2seqPredictor;
import dev.pix2seq.runtime.predict.PredictionPainter;
import dev.pix2seq.tasks.TaskRegistry;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code pix2seq predict}: runs one task of a trained model on one image. */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = {
      "Run a trained model on one image for one task and write OUT.png (the image with",
      "the result drawn) and OUT.json (COCO results format: bbox, segm, keypoints or",
      "captions). segment and keypoint take the object boxes from --box, or, when none",
      "is given, from the model's own detections (for an imported official model the 10",
      "best-scored, as the official evaluation does)."
    })
final class PredictCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "RUN",
      description = "Run folder or checkpoint folder written by train.")
  Path model;

  @Option(names = "--image", required = true, paramLabel = "IMG", description = "Image file.")
  Path image;

  @Option(names = "--task", required = true, paramLabel = "TASK",
      description = "detect, segment, keypoint or describe.")
  String task;

  @Option(names = "--box", paramLabel = "x,y,w,h",
      description = "Object box in image pixels (repeatable), for segment and keypoint.")
  List<String> boxes = new ArrayList<>();

  @Option(names = "--category", paramLabel = "ID",
      description = "Category id of the --box objects (default: the model names each box, "
          + "its probability the score; for keypoint the only category with keypoints).")
  Integer category;

  @Option(names = "--sampler", paramLabel = "TYPE",
      description = "greedy, temperature, top-k, top-p, official-top-p (the official Pix2seq"
          + " rule) or beam (default: the task's).")
  String sampler;

  @Option(names = "--temperature", paramLabel = "T", defaultValue = "1",
      description = "Softmax temperature (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Option(names = "--k", paramLabel = "K", defaultValue = "0", description = "top-k: candidates.")
  int k;

  @Option(names = "--p", paramLabel = "P", defaultValue = "1", description = "top-p: mass kept.")
  double p;

  @Option(names = "--beam-size", paramLabel = "N", defaultValue = "4",
      description = "beam: beams kept (default: ${DEFAULT-VALUE}).")
  int beamSize;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
      description = "Sampling seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--image-id", paramLabel = "ID", defaultValue = "1",
      description = "image_id written in OUT.json (default: ${DEFAULT-VALUE}).")
  long imageId;

  @Option(names = "--backend", paramLabel = "NAME", defaultValue = "djl",
      description = "Backend (default: ${DEFAULT-VALUE}).")
  String backend;

  @Option(names = "--device", paramLabel = "cpu|gpu", defaultValue = "cpu",
      description = "Device (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--out", required = true, paramLabel = "PREFIX",
      description = "Output prefix: writes PREFIX.png and PREFIX.json.")
  Path out;

  @Option(names = "--max-pixels", paramLabel = "N", defaultValue = "100000000",
      description = "Refuse images whose header declares more pixels (default: "
          + "${DEFAULT-VALUE}).")
  long maxPixels;

  @Option(names = "--stored-pixels",
      description = "Ignore the EXIF orientation: analyse the pixels as stored, not as an "
          + "image viewer shows them.")
  boolean storedPixels;

  @Override
  public Integer call() throws Exception {
    if (!Pix2seqPredictor.BUILT_IN_TASKS.contains(task)) {
      throw new ParameterException(spec.commandLine(),
          "--task must be one of " + Pix2seqPredictor.BUILT_IN_TASKS + ", found '" + task + "'");
    }
    List<BoundingBox> requested = parseBoxes();
    Device dev = parseDevice();
    InferenceConfig config = inferenceConfig(dev);
    if (maxPixels <= 0) {
      throw new ParameterException(spec.commandLine(),
          "--max-pixels must be positive, found " + maxPixels);
    }
    BufferedImage picture = ImageFiles.read(image,
        new ImageReadOptions(maxPixels, !storedPixels));
    ImageTensor tensor = ImageFiles.toTensor(picture);
    try (LoadedCheckpoint checkpoint =
        Checkpoint.load(model, Backends.discover().select(backend), dev)) {
      if (!checkpoint.tasks().contains(task)) {
        throw new ParameterException(spec.commandLine(), "the model in " + model
            + " was trained on " + checkpoint.tasks() + ", not on '" + task + "'");
      }
      Pix2seqPredictor predictor = Pix2seqPredictor.of(checkpoint.model(), checkpoint.context(),
          TaskRegistry.discover(getClass().getClassLoader()), config);
      ImagePredictions result = run(predictor, checkpoint, tensor, requested);
      Path png = sibling(".png");
      Path json = sibling(".json");
      new PredictionPainter(checkpoint.vocabulary().categories()).writePng(picture, result, png);
      CocoResultsWriter.write(json, cocoResults(List.of(result)));
      report(result, checkpoint.vocabulary().categories(), png, json);
    }
    return 0;
  }

  private ImagePredictions run(Pix2seqPredictor predictor, LoadedCheckpoint checkpoint,
      ImageTensor tensor, List<BoundingBox> requested) {
    return switch (task) {
      case "detect" -> new ImagePredictions(imageId, predictor.detect(tensor), List.of(),
          List.of(), List.of());
      case "describe" -> new ImagePredictions(imageId, List.of(), List.of(), List.of(),
          List.of(predictor.describe(tensor)));
      case "segment" -> {
        List<ObjectInstance> objects = objects(predictor, checkpoint, tensor, requested, false);
        yield new ImagePredictions(imageId, List.of(), predictor.segment(tensor, objects),
            List.of(), List.of());
      }
      case "keypoint" -> {
        List<ObjectInstance> objects = objects(predictor, checkpoint, tensor, requested, true);
        yield new ImagePredictions(imageId, List.of(), List.of(),
            predictor.keypoints(tensor, objects), List.of());
      }
      default -> throw new IllegalStateException("unhandled task " + task);
    };
  }

  /** The objects to segment or to find keypoints of: the given boxes, else detections. */
  private List<ObjectInstance> objects(Pix2seqPredictor predictor, LoadedCheckpoint checkpoint,
      ImageTensor tensor, List<BoundingBox> requested, boolean keypoints) {
    List<Category> categories = checkpoint.vocabulary().categories();
    if (requested.isEmpty()) {
      if (!checkpoint.tasks().contains("detect")) {
        throw new ParameterException(spec.commandLine(), "--box is required: the model was not"
            + " trained to detect, so it cannot find the objects itself");
      }
      return predictor.instancesFor(task, predictor.detect(tensor));
    }
    if (category != null) {
      if (categories.stream().noneMatch(c -> c.id() == category)) {
        throw new ParameterException(spec.commandLine(), "--category " + category
            + " is not a category of the model; known ids: "
            + categories.stream().map(Category::id).toList());
      }
      return requested.stream().map(box -> ObjectInstance.of(box, category)).toList();
    }
    Category only = keypoints ? onlyKeypointCategory(categories) : null;
    if (only != null) {
      return requested.stream().map(box -> ObjectInstance.of(box, only.id())).toList();
    }
    if (!checkpoint.tasks().contains("detect")) {
      throw new ParameterException(spec.commandLine(), "--category is required: the model was"
          + " not trained to detect, so it cannot name the object in a box");
    }
    // The model names each box itself; the category's probability becomes its score.
    return ObjectInstance.of(predictor.classify(tensor, requested));
  }

  private static Category onlyKeypointCategory(List<Category> categories) {
    List<Category> withSchema =
        categories.stream().filter(c -> c.keypoints() != null).toList();
    return withSchema.size() == 1 ? withSchema.get(0) : null;
  }

  private List<?> cocoResults(List<ImagePredictions> results) {
    return switch (task) {
      case "detect" -> CocoResultsWriter.boxes(results);
      case "segment" -> CocoResultsWriter.masks(results);
      case "keypoint" -> CocoResultsWriter.keypoints(results);
      default -> CocoResultsWriter.captions(results);
    };
  }

  private void report(ImagePredictions result, List<Category> categories, Path png, Path json) {
    PrintWriter w = spec.commandLine().getOut();
    Map<Integer, String> names = new HashMap<>();
    categories.forEach(c -> names.put(c.id(), c.name()));
    for (Detection d : result.detections()) {
      BoundingBox b = d.box();
      w.printf(Locale.ROOT, "%-10s %.3f  [%.1f, %.1f, %.1f, %.1f]%n",
          nameOf(names, d.categoryId()), d.score(), b.xMin(), b.yMin(),
          b.xMax() - b.xMin(), b.yMax() - b.yMin());
    }
    for (MaskPrediction m : result.masks()) {
      w.printf(Locale.ROOT, "mask of %s: score %.3f%n",
          nameOf(names, m.instance().categoryId()), m.score());
    }
    for (KeypointPrediction k : result.keypoints()) {
      w.printf(Locale.ROOT, "keypoints of %s: %d of %d placed, score %.3f%n",
          nameOf(names, k.instance().categoryId()), k.keypoints().labeledCount(),
          k.keypoints().points().size(), k.keypoints().score());
    }
    for (Caption c : result.captions()) {
      w.println(c.text());
    }
    w.printf("wrote %s and %s%n", png, json);
    w.flush();
  }

  private static String nameOf(Map<Integer, String> names, int categoryId) {
    return names.getOrDefault(categoryId, "#" + categoryId);
  }

  private InferenceConfig inferenceConfig(Device dev) {
    InferenceConfig d = InferenceConfig.defaults();
    Map<String, SamplerSpec> samplers = new HashMap<>(d.samplers());
    if (sampler != null) {
      try {
        SamplerSpec.Type type = SamplerSpec.Type.ofConfigName(sampler);
        samplers.put(task, new SamplerSpec(type, temperature, k, p, beamSize));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--sampler: " + e.getMessage());
      }
    }
    return new InferenceConfig(d.version(), backend, dev, samplers, d.segmentationSamples(),
        d.batchSize(), seed);
  }

  private Device parseDevice() {
    try {
      return Device.ofConfigName(device);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--device: " + e.getMessage());
    }
  }

  private List<BoundingBox> parseBoxes() {
    List<BoundingBox> parsed = new ArrayList<>();
    for (String box : boxes) {
      String[] parts = box.split(",");
      try {
        if (parts.length != 4) {
          throw new NumberFormatException();
        }
        double w = Double.parseDouble(parts[2].trim());
        double h = Double.parseDouble(parts[3].trim());
        if (!(w > 0 && h > 0)) {
          throw new NumberFormatException();
        }
        parsed.add(BoundingBox.ofXywh(Double.parseDouble(parts[0].trim()),
            Double.parseDouble(parts[1].trim()), w, h));
      } catch (NumberFormatException e) {
        throw new ParameterException(spec.commandLine(),
            "--box must be x,y,w,h in pixels with w, h > 0, found '" + box + "'");
      }
    }
    return parsed;
  }

  private Path sibling(String extension) {
    Path abs = out.toAbsolutePath();
    return abs.resolveSibling(abs.getFileName() + extension);
  }
}
