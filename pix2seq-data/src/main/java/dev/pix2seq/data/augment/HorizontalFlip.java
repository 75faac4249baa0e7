package dev.pix2seq.data.augment;

import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.KeypointSchema;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mirrors the sample left to right with probability {@code probability}: pixels and every x
 * coordinate ({@code x' = width - x}), polygon vertex order reversed so orientation is kept, and
 * each keypoint instance re-ordered by its category's {@link KeypointSchema#flipPermutation()}
 * (the point that was the left hand is now where a right hand would be). Captions swap the words
 * "left" and "right" (whole words, also "leftmost"/"rightmost" and "leftward(s)"/"rightward(s)",
 * keeping lower, upper or capitalised case); nothing else in a caption changes.
 *
 * <p>The generator is consulted once per sample whatever the probability, so a chain's random
 * sequence does not depend on it.
 *
 * @param probability chance of flipping, in [0, 1]
 * @param schemas keypoint schema per category id, for the categories that have keypoints; copied
 */
public record HorizontalFlip(double probability, Map<Integer, KeypointSchema> schemas)
    implements Augmentation {

  private static final Pattern SIDE_WORD =
      Pattern.compile("\\b(left|right)(?=(?:most|wards?)?\\b)", Pattern.CASE_INSENSITIVE);

  public HorizontalFlip {
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException(
          "flip probability must be in [0, 1], found " + probability);
    }
    schemas = Map.copyOf(schemas);
  }

  /** A flip that knows the keypoint schemas of these categories. */
  public static HorizontalFlip of(Collection<Category> categories, double probability) {
    Map<Integer, KeypointSchema> m = new HashMap<>();
    for (Category c : categories) {
      c.keypointSchema().ifPresent(s -> m.put(c.id(), s));
    }
    return new HorizontalFlip(probability, m);
  }

  @Override
  public AnnotatedImage apply(AnnotatedImage sample, RandomGenerator random) {
    return random.nextDouble() < probability ? flip(sample) : sample;
  }

  /**
   * The mirrored sample, always.
   *
   * @throws IllegalArgumentException if an instance has keypoints but its category has no
   *     schema here, or a different number of keypoints than its schema
   */
  public AnnotatedImage flip(AnnotatedImage sample) {
    List<int[]> perms = new ArrayList<>(sample.instances().size());
    for (AnnotatedInstance in : sample.instances()) {
      if (in.keypoints() == null) {
        perms.add(null);
        continue;
      }
      KeypointSchema schema = schemas.get(in.categoryId());
      if (schema == null) {
        throw new IllegalArgumentException("instance " + in.id() + " has keypoints but category "
            + in.categoryId() + " has no keypoint schema; known: " + schemas.keySet());
      }
      perms.add(schema.flipPermutation());
    }
    List<String> captions = sample.captions().stream().map(HorizontalFlip::mirrorCaption).toList();
    return SampleGeometry.flip(sample, perms, captions);
  }

  /** The caption with "left" and "right" swapped (see the class notes). */
  public static String mirrorCaption(String caption) {
    Matcher m = SIDE_WORD.matcher(caption);
    StringBuilder sb = new StringBuilder(caption.length() + 8);
    while (m.find()) {
      String word = m.group(1);
      String mirror = word.equalsIgnoreCase("left") ? "right" : "left";
      m.appendReplacement(sb, sameCase(word, mirror));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static String sameCase(String model, String word) {
    if (model.equals(model.toUpperCase(Locale.ROOT))) {
      return word.toUpperCase(Locale.ROOT);
    }
    if (Character.isUpperCase(model.charAt(0))) {
      return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
    return word;
  }
}
