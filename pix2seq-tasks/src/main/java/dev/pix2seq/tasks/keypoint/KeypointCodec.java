package dev.pix2seq.tasks.keypoint;

import dev.pix2seq.api.task.SequenceConstraint;
import dev.pix2seq.api.task.TaskCodec;
import dev.pix2seq.api.task.TrainingSequence;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.Keypoint;
import dev.pix2seq.api.value.KeypointSchema;
import dev.pix2seq.api.value.Keypoints;
import dev.pix2seq.api.value.TokenSequence;
import dev.pix2seq.api.value.Visibility;
import dev.pix2seq.api.vocab.VocabLayout;
import dev.pix2seq.tasks.Responses;
import dev.pix2seq.tokenizer.Vocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * Keypoint detection: the keypoints of one instance, given its box and class. The number and
 * order of the keypoints come from the category's {@link KeypointSchema} in the vocabulary.
 *
 * <pre>
 *   prompt:   [keypoint] ymin xmin ymax xmax class
 *   response: (y x | INVISIBLE INVISIBLE) per schema keypoint, in schema order, then EOS
 * </pre>
 *
 * <p><b>Training.</b> A labeled keypoint (occluded or visible) is written {@code y x} with weight
 * 1, an unlabeled one {@code INVISIBLE INVISIBLE} with weight {@code unlabeledWeight}; EOS has
 * weight {@code eosWeight}. On the decoder input each coordinate token is replaced by INVISIBLE
 * with probability {@code inputInvisibleRate}, so the model learns to place a keypoint without
 * relying on the previous ones.
 *
 * <p><b>Generation.</b> The constraint allows, per keypoint, two coordinates or two INVISIBLE
 * (only when the request allows INVISIBLE), then exactly EOS; {@link #maxResponseLength()} is
 * {@code 2 * K + 1} for the largest schema {@code K} of the vocabulary.
 *
 * <p><b>Decoding.</b> The tokens before the first EOS are read in pairs, one per schema keypoint:
 * two coordinates give a {@code VISIBLE} keypoint (the model does not tell occluded from
 * visible), anything else (INVISIBLE, a mixed or missing pair) an {@code UNLABELED} one at 0, 0.
 * A keypoint's score is the mean probability of its two tokens (0 when the pair is missing);
 * the instance score is the mean probability of all keypoint tokens read. A category without a
 * schema decodes to no keypoints.
 *
 * <p>Immutable and thread-safe.
 */
public final class KeypointCodec
    implements TaskCodec<KeypointAnnotation, KeypointRequest, Keypoints> {

  /** The task's name. */
  public static final String NAME = "keypoint";

  private final Vocabulary vocab;
  private final KeypointOptions options;
  private final Map<Integer, KeypointSchema> schemas;
  private final int maxKeypoints;

  /**
   * @throws IllegalArgumentException if the vocabulary has no {@code keypoint} task token
   */
  public KeypointCodec(Vocabulary vocab, KeypointOptions options) {
    if (vocab == null || options == null) {
      throw new IllegalArgumentException("keypoint codec needs a vocabulary and options");
    }
    vocab.taskToken(NAME);
    this.vocab = vocab;
    this.options = options;
    Map<Integer, KeypointSchema> byCategory = new TreeMap<>();
    int most = 0;
    for (Category c : vocab.categories()) {
      if (c.keypoints() != null) {
        byCategory.put(c.id(), c.keypoints());
        most = Math.max(most, c.keypoints().size());
      }
    }
    this.schemas = Map.copyOf(byCategory);
    this.maxKeypoints = most;
  }

  public KeypointOptions options() {
    return options;
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * The keypoint schema of a category.
   *
   * @throws IllegalArgumentException if the category has no schema in the vocabulary
   */
  public KeypointSchema schemaOf(int categoryId) {
    KeypointSchema s = schemas.get(categoryId);
    if (s == null) {
      throw new IllegalArgumentException(
          "keypoint: category " + categoryId + " has no keypoint schema; categories with one: "
              + schemas.keySet());
    }
    return s;
  }

  /**
   * @throws IllegalArgumentException if the category has no keypoint schema
   */
  @Override
  public int[] prompt(KeypointRequest request) {
    schemaOf(request.instance().categoryId());
    return request.instance().prompt(vocab, NAME);
  }

  @Override
  public KeypointRequest requestFor(KeypointAnnotation annotation) {
    return new KeypointRequest(annotation.instance(), true);
  }

  /**
   * @throws IllegalArgumentException if the category has no keypoint schema or the number of
   *     keypoints differs from the schema's
   */
  @Override
  public TrainingSequence trainingSequence(KeypointAnnotation annotation, RandomGenerator rng) {
    KeypointSchema schema = schemaOf(annotation.instance().categoryId());
    List<Keypoint> points = annotation.keypoints().points();
    if (points.size() != schema.size()) {
      throw new IllegalArgumentException(
          "keypoint: category " + annotation.instance().categoryId() + " has "
              + schema.size() + " keypoints in its schema, the annotation " + points.size());
    }
    VocabLayout layout = vocab.layout();
    int[] target = new int[2 * points.size() + 1];
    float[] weights = new float[target.length];
    for (int k = 0; k < points.size(); k++) {
      Keypoint p = points.get(k);
      boolean labeled = p.visibility().isLabeled();
      target[2 * k] = labeled ? vocab.coordToken(p.y()) : layout.invisible();
      target[2 * k + 1] = labeled ? vocab.coordToken(p.x()) : layout.invisible();
      float w = labeled ? 1f : (float) options.unlabeledWeight();
      weights[2 * k] = w;
      weights[2 * k + 1] = w;
    }
    target[target.length - 1] = layout.eos();
    weights[weights.length - 1] = (float) options.eosWeight();
    int[] input = target.clone();
    for (int i = 0; i < input.length - 1; i++) {
      if (layout.isCoord(input[i]) && rng.nextDouble() < options.inputInvisibleRate()) {
        input[i] = layout.invisible();
      }
    }
    return new TrainingSequence(
        prompt(requestFor(annotation)), input, target, weights);
  }

  /**
   * @throws IllegalArgumentException if the category has no keypoint schema
   */
  @Override
  public SequenceConstraint constraint(KeypointRequest request) {
    KeypointSchema schema = schemaOf(request.instance().categoryId());
    return new KeypointConstraint(vocab, schema.size(), request.invisibleAllowed());
  }

  @Override
  public int maxResponseLength() {
    return 2 * maxKeypoints + 1;
  }

  /** {@code 2 * K + 1} for the request category's schema of K keypoints. */
  @Override
  public int maxResponseLength(KeypointRequest request) {
    KeypointSchema schema = schemas.get(request.instance().categoryId());
    return schema == null ? 1 : 2 * schema.size() + 1;
  }

  @Override
  public Keypoints decode(KeypointRequest request, TokenSequence response) {
    KeypointSchema schema =
        request == null ? null : schemas.get(request.instance().categoryId());
    if (schema == null) {
      return new Keypoints(List.of(), 0);
    }
    int[] tokens = response.tokens();
    float[] logProbs = response.logProbs();
    VocabLayout layout = vocab.layout();
    int n = Math.min(Responses.lengthBeforeEos(tokens, layout.eos()), 2 * schema.size());
    List<Keypoint> points = new ArrayList<>(schema.size());
    for (int k = 0; k < schema.size(); k++) {
      int at = 2 * k;
      if (at + 1 >= n) {
        points.add(Keypoint.unlabeled());
        continue;
      }
      double score = Responses.meanProbability(logProbs, at, at + 2);
      if (layout.isCoord(tokens[at]) && layout.isCoord(tokens[at + 1])) {
        points.add(new Keypoint(
            vocab.coordValue(tokens[at + 1]), vocab.coordValue(tokens[at]), Visibility.VISIBLE,
            score));
      } else {
        points.add(new Keypoint(0, 0, Visibility.UNLABELED, score));
      }
    }
    return new Keypoints(points, Responses.meanProbability(logProbs, 0, n));
  }
}
