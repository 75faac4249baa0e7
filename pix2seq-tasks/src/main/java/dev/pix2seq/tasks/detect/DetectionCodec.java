package dev.pix2seq.tasks.detect;

import dev.pix2seq.api.task.SequenceConstraint;
import dev.pix2seq.api.task.TaskCodec;
import dev.pix2seq.api.task.TrainingSequence;
import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.Detection;
import dev.pix2seq.api.value.TokenSequence;
import dev.pix2seq.api.vocab.TokenRange;
import dev.pix2seq.api.vocab.VocabLayout;
import dev.pix2seq.tasks.Responses;
import dev.pix2seq.tokenizer.Vocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Object detection: all objects of an image as one sequence.
 *
 * <pre>
 *   prompt:   [detect]
 *   response: (ymin xmin ymax xmax class)*  EOS
 * </pre>
 *
 * <p><b>Training.</b> The real objects come in random order (a random subset of {@code
 * maxObjects} when there are more; {@code objectOrder} may sort them instead), each as four coordinate tokens and its class token, weight
 * 1. With {@link DetectionOptions.NoisePadding#FILL} noise objects follow until the sequence
 * holds {@code maxObjects} objects: duplicates of real boxes with jittered edges, real boxes
 * shifted to random places and random boxes (the paper's sequence augmentation); their class
 * target is FAKE with weight {@code noiseClassWeight}, their coordinates weigh 0 (the model is
 * not taught where noise lies, only to call it FAKE). EOS is always the last target (weight
 * {@code eosWeight}), so with FILL the response always holds {@code maxObjects} objects and with
 * {@link DetectionOptions.NoisePadding#NONE} it ends right after the real objects, letting
 * generation stop early. On the decoder input every class token (real and noise) is replaced
 * with probability {@code classCorruptionRate}: by FAKE with probability {@code fakeClassShare},
 * else by a uniformly drawn class of the vocabulary's categories. Coordinates are never
 * corrupted.
 *
 * <p><b>Generation.</b> The constraint allows coordinates at positions 1-4 of an object, a used
 * class token or FAKE at position 5, EOS only at an object boundary and nothing but EOS after
 * {@code maxObjects} objects; {@link #maxResponseLength()} is {@code 5 * maxObjects + 1}.
 *
 * <p><b>Decoding.</b> The tokens before the first EOS are read in groups of five; a group of four
 * coordinates and the class token of a category becomes a {@link Detection} (corners sorted,
 * score = the probability of the class token); FAKE groups, malformed groups and a trailing
 * partial group are dropped.
 *
 * <p>Immutable and thread-safe.
 */
public final class DetectionCodec
    implements TaskCodec<List<LabeledBox>, DetectRequest, List<Detection>> {

  /** The task's name. */
  public static final String NAME = "detect";

  /** Tokens per object: four coordinates and a class. */
  public static final int TOKENS_PER_OBJECT = 5;

  static final int CLASS_POSITION = 4;

  private final Vocabulary vocab;
  private final DetectionOptions options;
  private final int taskToken;
  private final DetectionConstraint constraint;

  /**
   * @throws IllegalArgumentException if the vocabulary has no {@code detect} task token
   */
  public DetectionCodec(Vocabulary vocab, DetectionOptions options) {
    if (vocab == null || options == null) {
      throw new IllegalArgumentException("detection codec needs a vocabulary and options");
    }
    this.vocab = vocab;
    this.options = options;
    this.taskToken = vocab.taskToken(NAME);
    this.constraint = new DetectionConstraint(vocab, options.maxObjects());
  }

  public DetectionOptions options() {
    return options;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int[] prompt(DetectRequest request) {
    return new int[] {taskToken};
  }

  @Override
  public DetectRequest requestFor(List<LabeledBox> annotation) {
    return DetectRequest.ALL_OBJECTS;
  }

  /**
   * @throws IllegalArgumentException if an object's category is not in the vocabulary
   */
  @Override
  public TrainingSequence trainingSequence(List<LabeledBox> annotation, RandomGenerator rng) {
    VocabLayout layout = vocab.layout();
    List<LabeledBox> objects = new ArrayList<>(annotation);
    for (int i = objects.size() - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      objects.set(i, objects.set(j, objects.get(i)));
    }
    if (objects.size() > options.maxObjects()) {
      objects = new ArrayList<>(objects.subList(0, options.maxObjects()));
    }
    switch (options.objectOrder()) {
      case AREA -> objects.sort(java.util.Comparator.comparingDouble(
          (LabeledBox o) -> -o.box().clip(1, 1).area()));
      case DISTANCE_TO_ORIGIN -> objects.sort(java.util.Comparator.comparingDouble(
          (LabeledBox o) -> Math.hypot(o.box().xMin(), o.box().yMin())));
      case RANDOM -> { }
    }
    List<BoundingBox> realBoxes = new ArrayList<>(objects.size());
    int[] realClasses = new int[objects.size()];
    for (int i = 0; i < objects.size(); i++) {
      LabeledBox o = objects.get(i);
      realBoxes.add(o.box().clip(1, 1));
      realClasses[i] = vocab.classToken(o.categoryId());
    }
    int noiseCount =
        options.noisePadding() == DetectionOptions.NoisePadding.FILL
            ? options.maxObjects() - objects.size()
            : 0;
    List<BoundingBox> noise =
        NoiseBoxes.generate(realBoxes, noiseCount, options.duplicateJitter(), rng);

    int total = realBoxes.size() + noise.size();
    int[] target = new int[total * TOKENS_PER_OBJECT + 1];
    float[] weights = new float[target.length];
    for (int k = 0; k < total; k++) {
      boolean real = k < realBoxes.size();
      BoundingBox b = real ? realBoxes.get(k) : noise.get(k - realBoxes.size());
      int at = k * TOKENS_PER_OBJECT;
      target[at] = vocab.coordToken(b.yMin());
      target[at + 1] = vocab.coordToken(b.xMin());
      target[at + 2] = vocab.coordToken(b.yMax());
      target[at + 3] = vocab.coordToken(b.xMax());
      target[at + CLASS_POSITION] = real ? realClasses[k] : layout.fake();
      float coordWeight = real ? 1f : 0f;
      for (int c = 0; c < CLASS_POSITION; c++) {
        weights[at + c] = coordWeight;
      }
      weights[at + CLASS_POSITION] = real ? 1f : (float) options.noiseClassWeight();
    }
    target[target.length - 1] = layout.eos();
    weights[weights.length - 1] = (float) options.eosWeight();

    int[] input = target.clone();
    TokenRange used = vocab.usedClassRange();
    for (int k = 0; k < total; k++) {
      if (rng.nextDouble() < options.classCorruptionRate()) {
        boolean fake = used.size() == 0 || rng.nextDouble() < options.fakeClassShare();
        input[k * TOKENS_PER_OBJECT + CLASS_POSITION] =
            fake ? layout.fake() : used.start() + rng.nextInt(used.size());
      }
    }
    return new TrainingSequence(prompt(DetectRequest.ALL_OBJECTS), input, target, weights);
  }

  @Override
  public SequenceConstraint constraint(DetectRequest request) {
    return constraint;
  }

  @Override
  public int maxResponseLength() {
    return options.maxObjects() * TOKENS_PER_OBJECT + 1;
  }

  @Override
  public List<Detection> decode(DetectRequest request, TokenSequence response) {
    int[] tokens = response.tokens();
    float[] logProbs = response.logProbs();
    VocabLayout layout = vocab.layout();
    int n = Responses.lengthBeforeEos(tokens, layout.eos());
    List<Detection> detections = new ArrayList<>();
    for (int at = 0; at + TOKENS_PER_OBJECT <= n; at += TOKENS_PER_OBJECT) {
      Category category = layout.isClass(tokens[at + CLASS_POSITION])
          ? vocab.categoryOf(tokens[at + CLASS_POSITION])
          : null;
      if (category == null
          || !layout.isCoord(tokens[at]) || !layout.isCoord(tokens[at + 1])
          || !layout.isCoord(tokens[at + 2]) || !layout.isCoord(tokens[at + 3])) {
        continue;
      }
      double y0 = vocab.coordValue(tokens[at]);
      double x0 = vocab.coordValue(tokens[at + 1]);
      double y1 = vocab.coordValue(tokens[at + 2]);
      double x1 = vocab.coordValue(tokens[at + 3]);
      BoundingBox box =
          new BoundingBox(Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1));
      detections.add(new Detection(
          box, category.id(), Responses.probability(logProbs[at + CLASS_POSITION])));
    }
    return detections;
  }
}
