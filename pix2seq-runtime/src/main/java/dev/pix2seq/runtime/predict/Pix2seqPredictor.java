package dev.pix2seq.runtime.predict;

import dev.pix2seq.api.config.InferenceConfig;
import dev.pix2seq.api.config.NetworkVariant;
import dev.pix2seq.api.generation.GenerationRequest;
import dev.pix2seq.api.generation.SequenceGenerator;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.task.SequenceConstraint;
import dev.pix2seq.api.task.TaskCodec;
import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Caption;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.Detection;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.api.value.Keypoints;
import dev.pix2seq.api.value.Polygon;
import dev.pix2seq.api.value.PolygonMask;
import dev.pix2seq.api.value.RleMask;
import dev.pix2seq.api.value.TokenSequence;
import dev.pix2seq.api.vocab.VocabLayout;
import dev.pix2seq.data.augment.CoordinateMap;
import dev.pix2seq.data.image.ImageFiles;
import dev.pix2seq.tasks.InstanceRequest;
import dev.pix2seq.tasks.Responses;
import dev.pix2seq.tasks.TaskContext;
import dev.pix2seq.tasks.TaskRegistry;
import dev.pix2seq.tasks.describe.CaptionCodec;
import dev.pix2seq.tasks.describe.DescribeRequest;
import dev.pix2seq.tasks.detect.DetectRequest;
import dev.pix2seq.tasks.detect.DetectionCodec;
import dev.pix2seq.tasks.keypoint.KeypointCodec;
import dev.pix2seq.tasks.keypoint.KeypointRequest;
import dev.pix2seq.tasks.segment.MaskVoting;
import dev.pix2seq.tasks.segment.SegmentationCodec;
import dev.pix2seq.tokenizer.Vocabulary;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a trained model on images, for every task, on any backend. Every coordinate going in or
 * out is in pixels of the original image: the predictor prepares model inputs exactly as
 * training does (the longer side resized to the model's image size, the rest padded
 * bottom/right with 0.3 grey; for keypoints the image is first cropped to the box grown by half
 * its size on each side), and maps results back with the inverse of that geometry.
 *
 * <p><b>Official networks.</b> A model whose {@link dev.pix2seq.api.config.ModelConfig#network()}
 * is {@link dev.pix2seq.api.config.NetworkVariant#OFFICIAL} (an imported official checkpoint)
 * gets the official Pix2seq evaluation preprocessing instead, bit for bit: 8-bit levels as
 * TensorFlow decodes them, TensorFlow's antialiased bilinear resize and size rounding, padding
 * computed as {@code 0.3 + pad(x - 0.3)}, and for keypoints the official {@code crop_to_bbox}
 * window (the box grown by half its size per side, clipped to the image). Results map back
 * through the rounded resized size, as the official post-processing does.
 *
 * <pre>{@code
 * Pix2seqPredictor predictor = Pix2seqPredictor.of(model, context, TaskRegistry.discover(loader),
 *     InferenceConfig.defaults());
 * List<Detection> objects = predictor.detect(image);
 * List<MaskPrediction> masks = predictor.segment(image, ObjectInstance.of(objects));
 * Caption caption = predictor.describe(image);
 * }</pre>
 *
 * <p><b>Batching.</b> The {@code ...All} methods encode up to {@link InferenceConfig#batchSize()}
 * model inputs per encoder call and decode every request of those inputs (all samples of all
 * instances) in one generator call. Each task samples with {@link
 * InferenceConfig#samplerFor(String)}.
 *
 * <p><b>Reproducibility.</b> Each public call starts a new random generator from {@link
 * InferenceConfig#seed()}, so the same call with the same inputs (and batch size) gives the same
 * result, whatever ran before or runs beside it.
 *
 * <p><b>Threads.</b> A predictor is immutable and keeps nothing between calls; it may be shared
 * between threads exactly when the model's encoder and decoder may, which both backends allow
 * (checked with 8 threads sharing one predictor by pix2seq-backend-tests'
 * {@code ConcurrentServingTest}). It does not own the model: whoever created the model closes
 * it.
 */
public final class Pix2seqPredictor {
  private static final Logger LOG = LoggerFactory.getLogger(Pix2seqPredictor.class);

  /** Task names {@link #predictAll} understands. */
  public static final Set<String> BUILT_IN_TASKS =
      Set.of(DetectionCodec.NAME, SegmentationCodec.NAME, KeypointCodec.NAME, CaptionCodec.NAME);

  private final Pix2seqModel model;
  private final TaskContext context;
  private final TaskRegistry registry;
  private final InferenceConfig config;
  private final ResponseGenerator generator;
  private final ModelInputPreparer preparer;
  /** The official decoding of detection, for official networks; null otherwise. */
  private final OfficialDetection officialDetection;
  /** The official decoding of captions, for official networks; null otherwise. */
  private final OfficialCaptioning officialCaptioning;
  /** The official decoding of masks, for official networks; null otherwise. */
  private final OfficialSegmentation officialSegmentation;
  /** The official decoding of keypoints, for official networks; null otherwise. */
  private final OfficialKeypoints officialKeypoints;
  /** Names the object in a given box. */
  private final BoxClassifier classifier;

  private Pix2seqPredictor(Builder b) {
    this.model = b.model;
    this.context = b.context;
    this.registry = b.registry;
    this.config = b.config;
    this.generator =
        b.generator != null
            ? b.generator
            : ResponseGenerator.of(
                new SequenceGenerator(model.decoder(), context.vocabulary().layout().eos()));
    this.preparer = new ModelInputPreparer(model.config().imageSize(),
        context.vocabulary().categories(), model.config().network());
    VocabLayout layout = context.vocabulary().layout();
    boolean official = model.config().network() == NetworkVariant.OFFICIAL;
    this.officialDetection = official && layout.taskTokens().containsKey(DetectionCodec.NAME)
        ? new OfficialDetection(model, layout) : null;
    this.officialCaptioning = official && layout.taskTokens().containsKey(CaptionCodec.NAME)
        ? new OfficialCaptioning(model, layout, context.vocabulary().textTokenizer()) : null;
    this.officialSegmentation = official && layout.taskTokens().containsKey(SegmentationCodec.NAME)
        ? new OfficialSegmentation(model, layout) : null;
    this.officialKeypoints = official && layout.taskTokens().containsKey(KeypointCodec.NAME)
        ? new OfficialKeypoints(model, layout) : null;
    this.classifier = new BoxClassifier(model, context.vocabulary());
  }

  /** A builder; model, context and registry are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A predictor with the API's sequence generator.
   *
   * @throws IllegalArgumentException if a part is missing or the model predicts fewer tokens
   *     than the vocabulary holds
   */
  public static Pix2seqPredictor of(
      Pix2seqModel model, TaskContext context, TaskRegistry registry, InferenceConfig config) {
    return builder().setModel(model).setContext(context).setRegistry(registry).optConfig(config)
        .build();
  }

  public InferenceConfig config() {
    return config;
  }

  public Vocabulary vocabulary() {
    return context.vocabulary();
  }

  /** Side of the square model input in pixels. */
  public int inputSize() {
    return model.config().imageSize();
  }

  /**
   * The model input of a whole image, as detection, segmentation and captioning see it (with
   * the preprocessing of the model's network variant); its {@code toSource} methods map
   * normalised results of {@link #run} back to image pixels.
   */
  public ModelInput prepare(ImageTensor image) {
    return preparer.whole(image);
  }

  // ---- detection ----------------------------------------------------------------------------

  /** {@link #detect(ImageTensor)} of an 8-bit image. */
  public List<Detection> detect(BufferedImage image) {
    return detect(ImageFiles.toTensor(image));
  }

  /**
   * The objects in an image, boxes in its pixels (clipped to it), in the order the model named
   * them. Score = the probability of the class token. Noise objects (FAKE), malformed groups and
   * boxes that lie wholly in the padding are dropped. An imported official model is decoded as
   * the official code decodes it instead ({@code OfficialDetection}: 100 slots, every slot of a
   * class other than 0 kept).
   */
  public List<Detection> detect(ImageTensor image) {
    return detectAll(List.of(image)).get(0);
  }

  /** {@link #detect(ImageTensor)} of several images, batched; one list per image. */
  public List<List<Detection>> detectAll(List<ImageTensor> images) {
    if (officialDetection != null) {
      // Up to 100 objects per image in slot order, mapped back to the image and clipped to it.
      return officialBatches(images.size(), i -> true, i -> preparer.whole(images.get(i)),
          (features, jobs, inputs, rng) -> {
            List<List<Detection>> found =
                officialDetection.detect(features, inputs.size(), rng);
            List<List<Detection>> out = new ArrayList<>(inputs.size());
            for (int b = 0; b < inputs.size(); b++) {
              ModelInput input = inputs.get(b);
              out.add(found.get(b).stream().map(d -> new Detection(
                  input.toSource(d.box()).clip(input.sourceWidth(), input.sourceHeight()),
                  d.categoryId(), d.score())).toList());
            }
            return out;
          }, List.of());
    }
    DetectionCodec codec = codec(DetectionCodec.NAME, DetectionCodec.class);
    List<List<Detection>> out = emptyLists(images.size());
    generate(codec, images.size(), i -> true, i -> preparer.whole(images.get(i)),
        (i, input) -> List.of(DetectRequest.ALL_OBJECTS), 1, newRandom(),
        (i, input, responses) -> {
          List<Detection> found = new ArrayList<>();
          for (Detection d : codec.decode(DetectRequest.ALL_OBJECTS, responses.get(0).get(0))) {
            BoundingBox box =
                input.toSource(d.box()).clip(input.sourceWidth(), input.sourceHeight());
            if (box.width() > 0 && box.height() > 0) {
              found.add(new Detection(box, d.categoryId(), d.score()));
            }
          }
          out.set(i, List.copyOf(found));
        });
    return Collections.unmodifiableList(out);
  }

  /**
   * The category the model gives the object in each box, with that category's probability as
   * the score: each box (image pixels) is fed as the first object of a detection response and
   * the class is read from the next token ({@code BoxClassifier}). This is how an instance task
   * gets a category when only a box is given. Boxes are clipped to the image.
   *
   * @return one detection per box, in order, with the clipped box
   * @throws IllegalArgumentException if the model was not trained to detect, or a box does not
   *     overlap the image
   */
  public List<Detection> classify(ImageTensor image, List<BoundingBox> boxes) {
    if (!vocabulary().layout().taskTokens().containsKey(DetectionCodec.NAME)) {
      throw new IllegalArgumentException("the model was not trained to detect, so it cannot name"
          + " the object in a box; give the category");
    }
    List<ObjectInstance> given = boxes.stream().map(b -> ObjectInstance.of(b, 0)).toList();
    List<BoundingBox> clipped = clippedToTheirImages(List.of(image), List.of(given)).get(0)
        .stream().map(ObjectInstance::box).toList();
    if (clipped.isEmpty()) {
      return List.of();
    }
    ModelInput input = preparer.whole(image);
    try (ImageFeatures features = model.encoder().encode(List.of(input.image()))) {
      return List.copyOf(classifier.classify(features, input, clipped));
    }
  }

  /**
   * Runs an official decoding over jobs (one model input each) in batches of the configured
   * size: inactive jobs are skipped and get {@code inactive}; each batch is encoded once and
   * answered by {@code task}, one result per job of the batch.
   */
  private <T> List<T> officialBatches(int jobs, IntPredicate active,
      IntFunction<ModelInput> inputOf, OfficialTask<T> task, T inactive) {
    List<T> out = new ArrayList<>(Collections.nCopies(jobs, inactive));
    List<Integer> pending = new ArrayList<>();
    for (int j = 0; j < jobs; j++) {
      if (active.test(j)) {
        pending.add(j);
      }
    }
    RandomGenerator rng = newRandom();
    int batchSize = config.batchSize();
    for (int from = 0; from < pending.size(); from += batchSize) {
      List<Integer> batch = pending.subList(from, Math.min(pending.size(), from + batchSize));
      List<ModelInput> inputs = new ArrayList<>(batch.size());
      for (int j : batch) {
        inputs.add(inputOf.apply(j));
      }
      List<T> found;
      try (ImageFeatures features =
          model.encoder().encode(inputs.stream().map(ModelInput::image).toList())) {
        found = task.run(features, batch, inputs, rng);
      }
      for (int b = 0; b < batch.size(); b++) {
        out.set(batch.get(b), found.get(b));
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** One official decoding of a batch of encoded model inputs: one result per job. */
  @FunctionalInterface
  private interface OfficialTask<T> {
    List<T> run(ImageFeatures features, List<Integer> jobs, List<ModelInput> inputs,
        RandomGenerator rng);
  }

  // ---- segmentation -------------------------------------------------------------------------

  /** {@link #segment(ImageTensor, List)} of an 8-bit image. */
  public List<MaskPrediction> segment(BufferedImage image, List<ObjectInstance> instances) {
    return segment(ImageFiles.toTensor(image), instances);
  }

  /**
   * One mask per instance, in order, at the image's resolution: {@link
   * InferenceConfig#segmentationSamples()} polygon responses are sampled per instance with the
   * {@code segment} sampler, rasterised over the image and voted ({@link MaskVoting}, threshold
   * 0.5). Score = the instance's score times the mean token probability of the samples. An
   * imported official model is decoded as the official code decodes it instead ({@code
   * OfficialSegmentation}: 8 responses of 256 tokens at the official top-p 0.8, rasterised as
   * pycocotools does, at least 4 of 8 votes; score = the instance's score).
   *
   * <p>Boxes are clipped to the image (the predictions carry the clipped boxes); a box that
   * does not overlap the image is refused before any work.
   *
   * @throws IllegalArgumentException if a category is not in the vocabulary (for an official
   *     model: outside the class token range), or a box lies outside the image
   */
  public List<MaskPrediction> segment(ImageTensor image, List<ObjectInstance> instances) {
    return segmentAll(List.of(image), List.of(instances)).get(0);
  }

  /** {@link #segment(ImageTensor, List)} of several images, batched; one list per image. */
  public List<List<MaskPrediction>> segmentAll(
      List<ImageTensor> images, List<List<ObjectInstance>> given) {
    checkSameSize(images, given, "instance lists");
    List<List<ObjectInstance>> instances = clippedToTheirImages(images, given);
    if (officialSegmentation != null) {
      instances.forEach(list -> list.forEach(o -> officialClassToken(o.categoryId())));
      return officialBatches(images.size(), i -> !instances.get(i).isEmpty(),
          i -> preparer.whole(images.get(i)), (features, jobs, inputs, rng) -> {
            List<OfficialSegmentation.Instance> prompts = new ArrayList<>();
            for (int b = 0; b < jobs.size(); b++) {
              ImageTensor image = images.get(jobs.get(b));
              OfficialFrame frame =
                  OfficialFrame.whole(image.width(), image.height(), inputSize());
              for (ObjectInstance o : instances.get(jobs.get(b))) {
                prompts.add(new OfficialSegmentation.Instance(
                    b, frame, frame.promptBox(o.box()), officialClassToken(o.categoryId())));
              }
            }
            List<RleMask> masks = officialSegmentation.segment(features, prompts, rng);
            List<List<MaskPrediction>> out = new ArrayList<>(jobs.size());
            int at = 0;
            for (int j : jobs) {
              List<MaskPrediction> found = new ArrayList<>();
              for (ObjectInstance o : instances.get(j)) {
                found.add(new MaskPrediction(o, masks.get(at++), o.score()));
              }
              out.add(List.copyOf(found));
            }
            return out;
          }, List.of());
    }
    SegmentationCodec codec = codec(SegmentationCodec.NAME, SegmentationCodec.class);
    int samples = config.segmentationSamples();
    List<List<MaskPrediction>> out = emptyLists(images.size());
    generate(codec, images.size(), i -> !instances.get(i).isEmpty(),
        i -> preparer.whole(images.get(i)),
        (i, input) -> instanceRequests(instances.get(i), input), samples, newRandom(),
        (i, input, responses) -> {
          List<MaskPrediction> masks = new ArrayList<>(responses.size());
          for (int k = 0; k < responses.size(); k++) {
            masks.add(vote(codec, instances.get(i).get(k), input, responses.get(k)));
          }
          out.set(i, List.copyOf(masks));
        });
    return Collections.unmodifiableList(out);
  }

  private MaskPrediction vote(
      SegmentationCodec codec, ObjectInstance instance, ModelInput input,
      List<TokenSequence> samples) {
    InstanceRequest request = new InstanceRequest(input.normalise(instance.box()),
        instance.categoryId());
    int w = input.sourceWidth();
    int h = input.sourceHeight();
    // The rasteriser's grid spans [0, 1] on both axes: express the polygons as fractions of
    // the source image, so that the grid is the image's own pixel grid.
    CoordinateMap toGrid = input.toSource().then(CoordinateMap.scale(1.0 / w, 1.0 / h));
    List<PolygonMask> masks = new ArrayList<>(samples.size());
    double confidence = 0;
    for (TokenSequence sample : samples) {
      List<Polygon> polygons = new ArrayList<>();
      for (Polygon p : codec.decode(request, sample).polygons()) {
        polygons.add(new Polygon(p.points().stream().map(toGrid::apply).toList()));
      }
      masks.add(new PolygonMask(polygons));
      confidence += meanProbability(sample);
    }
    double score = clamp01(instance.score() * confidence / samples.size());
    return new MaskPrediction(
        instance, MaskVoting.vote(masks, h, w, MaskVoting.DEFAULT_THRESHOLD).toRle(), score);
  }

  // ---- keypoints ----------------------------------------------------------------------------

  /** {@link #keypoints(ImageTensor, List)} of an 8-bit image. */
  public List<KeypointPrediction> keypoints(BufferedImage image, List<ObjectInstance> instances) {
    return keypoints(ImageFiles.toTensor(image), instances);
  }

  /**
   * The keypoints of each instance, in order, in image pixels. As in training, each instance is
   * seen in its own model input: the image cropped to its box grown by half the box size on each
   * side (grey beyond the image; for an official network the official window, clipped to the
   * image). INVISIBLE is suppressed, so the model places every keypoint;
   * the instance score is the instance's score times the mean keypoint token probability. An
   * imported official model is decoded as the official code decodes it instead ({@code
   * OfficialKeypoints}: 2 tokens per keypoint at the official top-p 0.1, INVISIBLE sampled again
   * afterwards, score = the mean probability of the non-padding tokens).
   *
   * <p>Boxes are clipped to the image (the predictions carry the clipped boxes); a box that
   * does not overlap the image is refused before any work.
   *
   * @throws IllegalArgumentException if a category has no keypoint schema, or a box lies outside
   *     the image
   */
  public List<KeypointPrediction> keypoints(ImageTensor image, List<ObjectInstance> instances) {
    return keypointsAll(List.of(image), List.of(instances)).get(0);
  }

  /** {@link #keypoints(ImageTensor, List)} of several images, batched; one list per image. */
  public List<List<KeypointPrediction>> keypointsAll(
      List<ImageTensor> images, List<List<ObjectInstance>> given) {
    checkSameSize(images, given, "instance lists");
    List<List<ObjectInstance>> instances = clippedToTheirImages(images, given);
    KeypointCodec codec = codec(KeypointCodec.NAME, KeypointCodec.class);
    List<int[]> jobs = new ArrayList<>();
    List<List<KeypointPrediction>> out = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      List<ObjectInstance> list = instances.get(i);
      for (int k = 0; k < list.size(); k++) {
        codec.schemaOf(list.get(k).categoryId());
        jobs.add(new int[] {i, k});
      }
      out.add(new ArrayList<>(Collections.nCopies(list.size(), null)));
    }
    if (officialKeypoints != null) {
      List<KeypointPrediction> found = officialBatches(jobs.size(), j -> true,
          j -> preparer.keypointContext(
              images.get(jobs.get(j)[0]), instance(instances, jobs, j).box()),
          (features, batch, inputs, rng) -> {
            List<OfficialKeypoints.Instance> prompts = new ArrayList<>(batch.size());
            for (int b = 0; b < batch.size(); b++) {
              ImageTensor image = images.get(jobs.get(batch.get(b))[0]);
              ObjectInstance o = instance(instances, jobs, batch.get(b));
              OfficialFrame frame = OfficialFrame.keypointCrop(
                  o.box(), image.width(), image.height(), inputSize());
              prompts.add(new OfficialKeypoints.Instance(b, frame, frame.promptBox(o.box()),
                  officialClassToken(o.categoryId()), codec.schemaOf(o.categoryId()).size()));
            }
            List<Keypoints> points = officialKeypoints.keypoints(features, prompts, rng);
            List<KeypointPrediction> predictions = new ArrayList<>(batch.size());
            for (int b = 0; b < batch.size(); b++) {
              predictions.add(new KeypointPrediction(
                  instance(instances, jobs, batch.get(b)), points.get(b)));
            }
            return predictions;
          }, null);
      for (int j = 0; j < jobs.size(); j++) {
        out.get(jobs.get(j)[0]).set(jobs.get(j)[1], found.get(j));
      }
      return out.stream().map(List::copyOf).toList();
    }
    generate(codec, jobs.size(), j -> true,
        j -> preparer.keypointContext(
            images.get(jobs.get(j)[0]), instance(instances, jobs, j).box()),
        (j, input) -> List.of(keypointRequest(instance(instances, jobs, j), input)),
        1, newRandom(),
        (j, input, responses) -> {
          ObjectInstance o = instance(instances, jobs, j);
          KeypointRequest request = keypointRequest(o, input);
          Keypoints inSource = input.toSource(codec.decode(request, responses.get(0).get(0)));
          Keypoints scored =
              new Keypoints(inSource.points(), clamp01(o.score() * inSource.score()));
          out.get(jobs.get(j)[0]).set(jobs.get(j)[1], new KeypointPrediction(o, scored));
        });
    return out.stream().map(List::copyOf).toList();
  }

  /** The inference request (INVISIBLE suppressed) for an instance seen in its crop. */
  private static KeypointRequest keypointRequest(ObjectInstance o, ModelInput crop) {
    return KeypointRequest.forInference(
        new InstanceRequest(crop.normalise(o.box()), o.categoryId()));
  }

  /**
   * The class token of an official prompt: {@code classBase + categoryId}, as the official code
   * builds it, for every id its detection can name (the class token range), whether or not the
   * vocabulary lists a category of that id.
   *
   * @throws IllegalArgumentException for an id outside the class token range
   */
  private int officialClassToken(int categoryId) {
    VocabLayout layout = vocabulary().layout();
    if (categoryId < 0 || categoryId >= layout.maxClasses()) {
      throw new IllegalArgumentException("category id " + categoryId + " has no class token:"
          + " an official prompt names category ids 0 to " + (layout.maxClasses() - 1));
    }
    return layout.classBase() + categoryId;
  }

  private static ObjectInstance instance(
      List<List<ObjectInstance>> instances, List<int[]> jobs, int job) {
    int[] at = jobs.get(job);
    return instances.get(at[0]).get(at[1]);
  }

  // ---- captions -----------------------------------------------------------------------------

  /** {@link #describe(ImageTensor)} of an 8-bit image. */
  public Caption describe(BufferedImage image) {
    return describe(ImageFiles.toTensor(image));
  }

  /**
   * A caption of the image, decoded through the vocabulary's text tokenizer; score = the mean
   * token probability. An imported official model samples and decodes its caption as the
   * official code does ({@code OfficialCaptioning}).
   */
  public Caption describe(ImageTensor image) {
    return describeAll(List.of(image)).get(0);
  }

  /** {@link #describe(ImageTensor)} of several images, batched. */
  public List<Caption> describeAll(List<ImageTensor> images) {
    if (officialCaptioning != null) {
      return officialBatches(images.size(), i -> true, i -> preparer.whole(images.get(i)),
          (features, jobs, inputs, rng) ->
              officialCaptioning.describe(features, inputs.size(), rng), null);
    }
    CaptionCodec codec = codec(CaptionCodec.NAME, CaptionCodec.class);
    List<Caption> out = new ArrayList<>(Collections.nCopies(images.size(), null));
    generate(codec, images.size(), i -> true, i -> preparer.whole(images.get(i)),
        (i, input) -> List.of(DescribeRequest.IMAGE), 1, newRandom(),
        (i, input, responses) ->
            out.set(i, codec.decode(DescribeRequest.IMAGE, responses.get(0).get(0))));
    return List.copyOf(out);
  }

  // ---- all tasks ----------------------------------------------------------------------------

  /**
   * The named built-in tasks on one image: {@code detect}, then {@code segment} and {@code
   * keypoint} on the detected objects {@link #instancesFor} chooses, and {@code describe}.
   *
   * @throws IllegalArgumentException for an unknown task, or segment/keypoint without detect
   */
  public ImagePredictions predict(long imageId, ImageTensor image, Set<String> tasks) {
    return predictAll(List.of(imageId), List.of(image), tasks).get(0);
  }

  /** {@link #predict} of several images, each task batched over all of them. */
  public List<ImagePredictions> predictAll(
      List<Long> imageIds, List<ImageTensor> images, Set<String> tasks) {
    checkSameSize(images, imageIds, "image ids");
    for (String t : tasks) {
      if (!BUILT_IN_TASKS.contains(t)) {
        throw new IllegalArgumentException(
            "predict runs the built-in tasks " + BUILT_IN_TASKS + ", found '" + t
                + "'; run a plug-in task with run(codec, image, requests)");
      }
    }
    boolean detect = tasks.contains(DetectionCodec.NAME);
    if (!detect
        && (tasks.contains(SegmentationCodec.NAME) || tasks.contains(KeypointCodec.NAME))) {
      throw new IllegalArgumentException(
          "segment and keypoint run on detected objects, so they need detect, found " + tasks);
    }
    int n = images.size();
    List<List<Detection>> detections = detect ? detectAll(images) : emptyLists(n);
    List<List<MaskPrediction>> masks = tasks.contains(SegmentationCodec.NAME)
        ? segmentAll(images, instancesOf(SegmentationCodec.NAME, detections))
        : emptyLists(n);
    List<List<KeypointPrediction>> keypoints = tasks.contains(KeypointCodec.NAME)
        ? keypointsAll(images, instancesOf(KeypointCodec.NAME, detections))
        : emptyLists(n);
    List<Caption> captions =
        tasks.contains(CaptionCodec.NAME) ? describeAll(images) : null;
    List<ImagePredictions> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new ImagePredictions(imageIds.get(i), detections.get(i), masks.get(i),
          keypoints.get(i), captions == null ? List.of() : List.of(captions.get(i))));
    }
    return List.copyOf(out);
  }

  /**
   * The detected objects {@link #predictAll} asks an instance task about: for {@code segment}
   * every detection, for {@code keypoint} every detection of a category with a keypoint schema,
   * in detection order. An imported official model detects 100 objects per image, most of them
   * with low scores; for it, as in the official evaluation, only the {@value
   * OfficialSegmentation#INSTANCES_PER_IMAGE} best-scored of those are asked about, best first.
   *
   * @throws IllegalArgumentException for a task other than {@code segment} and {@code keypoint}
   */
  public List<ObjectInstance> instancesFor(String task, List<Detection> detections) {
    boolean keypoint = task.equals(KeypointCodec.NAME);
    if (!keypoint && !task.equals(SegmentationCodec.NAME)) {
      throw new IllegalArgumentException("instance tasks are " + SegmentationCodec.NAME
          + " and " + KeypointCodec.NAME + ", found '" + task + "'");
    }
    Stream<Detection> found = detections.stream()
        .filter(d -> !keypoint || hasKeypointSchema(d.categoryId()));
    if (model.config().network() == NetworkVariant.OFFICIAL) {
      found = found.sorted(Comparator.comparingDouble(Detection::score).reversed())
          .limit(OfficialSegmentation.INSTANCES_PER_IMAGE);
    }
    return found.map(ObjectInstance::of).toList();
  }

  private List<List<ObjectInstance>> instancesOf(String task, List<List<Detection>> detections) {
    return detections.stream().map(d -> instancesFor(task, d)).toList();
  }

  private boolean hasKeypointSchema(int categoryId) {
    for (Category c : vocabulary().categories()) {
      if (c.id() == categoryId) {
        return c.keypoints() != null;
      }
    }
    return false;
  }

  // ---- any task -----------------------------------------------------------------------------

  /**
   * A new codec of a registered task for this model's vocabulary and task options.
   *
   * @throws IllegalArgumentException for an unknown task or one the vocabulary cannot serve
   */
  public TaskCodec<?, ?, ?> codec(String task) {
    return registry.codec(task, context);
  }

  /**
   * A new codec of a registered task, of the expected class.
   *
   * @throws IllegalArgumentException as {@link #codec(String)}, or when it is not a {@code type}
   */
  public <C extends TaskCodec<?, ?, ?>> C codec(String task, Class<C> type) {
    return registry.codec(task, context, type);
  }

  /**
   * Runs any task (a plug-in too) on one image: one result per request, in order, decoded by the
   * codec. Geometry in the results is the codec's, normalised over the model input; map it back
   * with {@code prepare(image).toSource(...)}.
   *
   * <pre>{@code
   * CountCodec count = predictor.codec("count", CountCodec.class);
   * ObjectCount n = predictor.run(count, image, List.of(new CountRequest())).get(0);
   * }</pre>
   */
  public <Q, R> List<R> run(TaskCodec<?, Q, R> codec, ImageTensor image, List<Q> requests) {
    return runAll(codec, List.of(image), List.of(requests)).get(0);
  }

  /** {@link #run} over several images, batched; one result list per image. */
  public <Q, R> List<List<R>> runAll(
      TaskCodec<?, Q, R> codec, List<ImageTensor> images, List<List<Q>> requests) {
    checkSameSize(images, requests, "request lists");
    List<List<R>> out = emptyLists(images.size());
    generate(codec, images.size(), i -> !requests.get(i).isEmpty(),
        i -> preparer.whole(images.get(i)), (i, input) -> requests.get(i), 1, newRandom(),
        (i, input, responses) -> {
          List<Q> qs = requests.get(i);
          List<R> results = new ArrayList<>(qs.size());
          for (int k = 0; k < qs.size(); k++) {
            results.add(codec.decode(qs.get(k), responses.get(k).get(0)));
          }
          out.set(i, Collections.unmodifiableList(results));
        });
    return Collections.unmodifiableList(out);
  }

  // ---- the pipeline -------------------------------------------------------------------------

  /** Receives the responses of one job: per request, its samples. */
  @FunctionalInterface
  private interface ResponseSink {
    void accept(int job, ModelInput input, List<List<TokenSequence>> responses);
  }

  /**
   * Prepares, encodes and decodes jobs (one model input each) in batches of {@code batchSize}
   * inputs; inactive jobs (no requests) are skipped. Inputs are prepared batch by batch and
   * dropped after their sink call, so a long list of images never sits in memory at once.
   */
  private <Q> void generate(
      TaskCodec<?, Q, ?> codec, int jobs, IntPredicate active, IntFunction<ModelInput> inputOf,
      BiFunction<Integer, ModelInput, List<Q>> requestsOf, int samples, RandomGenerator rng,
      ResponseSink sink) {
    List<Integer> pending = new ArrayList<>();
    for (int j = 0; j < jobs; j++) {
      if (active.test(j)) {
        pending.add(j);
      }
    }
    int batchSize = config.batchSize();
    for (int from = 0; from < pending.size(); from += batchSize) {
      List<Integer> batch = pending.subList(from, Math.min(pending.size(), from + batchSize));
      List<ModelInput> inputs = new ArrayList<>(batch.size());
      List<List<Q>> requests = new ArrayList<>(batch.size());
      List<GenerationRequest> generation = new ArrayList<>();
      for (int b = 0; b < batch.size(); b++) {
        ModelInput input = inputOf.apply(batch.get(b));
        List<Q> qs = List.copyOf(requestsOf.apply(batch.get(b), input));
        inputs.add(input);
        requests.add(qs);
        for (Q q : qs) {
          int[] prompt = codec.prompt(q);
          SequenceConstraint constraint = codec.constraint(q);
          int maxNew = maxNewTokens(codec, q, prompt.length);
          for (int s = 0; s < samples; s++) {
            generation.add(new GenerationRequest(b, prompt, constraint, maxNew));
          }
        }
      }
      long start = System.nanoTime();
      List<TokenSequence> responses;
      try (ImageFeatures features =
          model.encoder().encode(inputs.stream().map(ModelInput::image).toList())) {
        responses = generation.isEmpty()
            ? List.of()
            : generator.generate(features, generation, config.samplerFor(codec.name()), rng);
      }
      if (responses.size() != generation.size()) {
        throw new IllegalStateException(
            "the generator answered " + responses.size() + " of " + generation.size()
                + " requests of task '" + codec.name() + "'");
      }
      LOG.debug("{}: {} inputs, {} sequences in {} ms", codec.name(), batch.size(),
          generation.size(), (System.nanoTime() - start) / 1_000_000);
      int at = 0;
      for (int b = 0; b < batch.size(); b++) {
        List<List<TokenSequence>> perRequest = new ArrayList<>(requests.get(b).size());
        for (int k = 0; k < requests.get(b).size(); k++) {
          perRequest.add(responses.subList(at, at + samples));
          at += samples;
        }
        sink.accept(batch.get(b), inputs.get(b), perRequest);
      }
    }
  }

  private <Q> int maxNewTokens(TaskCodec<?, Q, ?> codec, Q request, int promptLength) {
    int limit = model.decoder().maxSequenceLength();
    int room = limit - promptLength;
    if (room < 1) {
      throw new IllegalStateException(
          "task '" + codec.name() + "': a prompt of " + promptLength
              + " tokens leaves no room in the decoder's " + limit + " positions");
    }
    return Math.max(1, Math.min(codec.maxResponseLength(request), room));
  }

  private List<InstanceRequest> instanceRequests(List<ObjectInstance> objects, ModelInput input) {
    List<InstanceRequest> out = new ArrayList<>(objects.size());
    for (ObjectInstance o : objects) {
      out.add(new InstanceRequest(input.normalise(o.box()), o.categoryId()));
    }
    return out;
  }

  private double meanProbability(TokenSequence s) {
    int n = Responses.lengthBeforeEos(s.tokens(), vocabulary().layout().eos());
    return Responses.meanProbability(s.logProbs(), 0, n);
  }

  private RandomGenerator newRandom() {
    return new SplittableRandom(config.seed());
  }

  private static double clamp01(double v) {
    return v >= 0 ? Math.min(1, v) : 0;
  }

  private static <T> List<List<T>> emptyLists(int n) {
    return new ArrayList<>(Collections.nCopies(n, List.of()));
  }

  /**
   * The instances with their boxes clipped to their image, checked before anything is
   * prepared: a box that overlaps the image keeps the overlap (so an absurdly large box becomes
   * the image), a box that does not is refused.
   *
   * @throws IllegalArgumentException naming the box, the image size and where the box is
   */
  private static List<List<ObjectInstance>> clippedToTheirImages(
      List<ImageTensor> images, List<List<ObjectInstance>> instances) {
    List<List<ObjectInstance>> out = new ArrayList<>(instances.size());
    for (int i = 0; i < instances.size(); i++) {
      ImageTensor image = images.get(i);
      List<ObjectInstance> clipped = new ArrayList<>(instances.get(i).size());
      for (int k = 0; k < instances.get(i).size(); k++) {
        ObjectInstance o = instances.get(i).get(k);
        BoundingBox box = o.box().clip(image.width(), image.height());
        if (!(box.width() > 0 && box.height() > 0)) {
          throw new IllegalArgumentException("object " + k + " of image " + i + ": its box "
              + describe(o.box()) + " does not overlap the " + image.width() + "x"
              + image.height() + " image");
        }
        clipped.add(box.equals(o.box()) ? o : new ObjectInstance(box, o.categoryId(), o.score()));
      }
      out.add(List.copyOf(clipped));
    }
    return out;
  }

  private static String describe(BoundingBox b) {
    return String.format(java.util.Locale.ROOT, "x %.1f..%.1f, y %.1f..%.1f (pixels)", b.xMin(),
        b.xMax(), b.yMin(), b.yMax());
  }

  private static void checkSameSize(List<?> images, List<?> other, String what) {
    if (images.size() != other.size()) {
      throw new IllegalArgumentException(
          "expected one entry of " + what + " per image (" + images.size() + " images), found "
              + other.size());
    }
  }

  /**
   * Builds a {@link Pix2seqPredictor}: {@code set*} for required parts, {@code opt*} for
   * optional ones; validated in {@link #build()}.
   */
  public static final class Builder {
    private Pix2seqModel model;
    private TaskContext context;
    private TaskRegistry registry;
    private InferenceConfig config = InferenceConfig.defaults();
    private ResponseGenerator generator;

    private Builder() {}

    /** The network (not owned: the caller closes it). */
    public Builder setModel(Pix2seqModel model) {
      this.model = model;
      return this;
    }

    /** The model's vocabulary and the task options it was trained with. */
    public Builder setContext(TaskContext context) {
      this.context = context;
      return this;
    }

    /** The tasks whose codecs decode the responses. */
    public Builder setRegistry(TaskRegistry registry) {
      this.registry = registry;
      return this;
    }

    /**
     * Samplers, batch size, segmentation samples and seed; default {@link
     * InferenceConfig#defaults()}.
     */
    public Builder optConfig(InferenceConfig config) {
      this.config = config;
      return this;
    }

    /** How responses are generated; default the API's {@link SequenceGenerator}. */
    public Builder optGenerator(ResponseGenerator generator) {
      this.generator = generator;
      return this;
    }

    /**
     * @throws IllegalArgumentException if a required part is missing or the model predicts
     *     fewer token ids than the vocabulary holds
     */
    public Pix2seqPredictor build() {
      if (model == null || context == null || registry == null || config == null) {
        throw new IllegalArgumentException(
            "a predictor needs a model, a task context, a task registry and an inference "
                + "config; missing: " + missing());
      }
      if (model.config().network() == NetworkVariant.OFFICIAL) {
        checkOfficialClassTokens(context.vocabulary());
      }
      int vocabSize = context.vocabulary().size();
      if (model.vocabSize() < vocabSize) {
        throw new IllegalArgumentException(
            "the model predicts " + model.vocabSize() + " token ids but the vocabulary holds "
                + vocabSize);
      }
      return new Pix2seqPredictor(this);
    }

    /** The official decoding reads class token {@code classBase + id} as category {@code id}. */
    private static void checkOfficialClassTokens(Vocabulary vocabulary) {
      int base = vocabulary.layout().classBase();
      for (Category c : vocabulary.categories()) {
        if (vocabulary.classToken(c.id()) != base + c.id()) {
          throw new IllegalArgumentException("an official model names category id by class token "
              + base + " + id, but the vocabulary gives category " + c.id() + " token "
              + vocabulary.classToken(c.id()) + " (import official checkpoints with "
              + "import-official, which lays the categories out so)");
        }
      }
    }

    private String missing() {
      List<String> m = new ArrayList<>();
      if (model == null) {
        m.add("model");
      }
      if (context == null) {
        m.add("context");
      }
      if (registry == null) {
        m.add("registry");
      }
      if (config == null) {
        m.add("config");
      }
      return String.join(", ", m);
    }
  }
}
