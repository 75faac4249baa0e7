package dev.pix2seq.demo.eval;

import dev.pix2seq.api.value.KeypointSchema;
import dev.pix2seq.eval.coco.CocoEvalParams;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * OKS sigmas for keypoint schemas other than COCO's 17 person keypoints. pycocotools knows
 * sigmas only for those; a dataset with another schema (the synthetic stick figures have 14)
 * needs sigmas per keypoint. This table takes them from the COCO person sigmas by body part,
 * read from the keypoint's name without its side ({@code left_knee} is a knee): nose, eye, ear,
 * shoulder, elbow, wrist (also {@code hand}), hip, knee and ankle (also {@code foot}). Any other
 * name (the figures' {@code head} and {@code neck}) gets {@link #fallbackSigma()}, the median
 * of the COCO sigmas (the elbow's 0.072).
 *
 * <p>A 17-keypoint schema gets no sigmas from here ({@link #forSchema} is empty): pycocotools
 * applies the COCO person sigmas to it whatever its names, and so does {@link
 * dev.pix2seq.eval.coco.CocoEvaluator}. Stateless and thread-safe.
 */
public final class KeypointSigmas {
  /** Index of each body part in the COCO person keypoint order. */
  private static final Map<String, Integer> COCO_PART_INDEX = Map.ofEntries(
      Map.entry("nose", 0), Map.entry("eye", 1), Map.entry("ear", 3),
      Map.entry("shoulder", 5), Map.entry("elbow", 7), Map.entry("wrist", 9),
      Map.entry("hand", 9), Map.entry("hip", 11), Map.entry("knee", 13),
      Map.entry("ankle", 15), Map.entry("foot", 15));
  private static final int FALLBACK_INDEX = 7;
  private static final int COCO_KEYPOINTS = 17;
  private static final String[] SIDE_PREFIXES = {"left_", "right_", "left-", "right-", "left",
    "right", "l_", "r_"};

  private KeypointSigmas() {}

  /** The sigma of a name that matches no COCO body part: the median COCO sigma, 0.072. */
  public static double fallbackSigma() {
    return CocoEvalParams.cocoPersonSigmas()[FALLBACK_INDEX];
  }

  /**
   * The sigmas of a schema, keypoint by keypoint; empty for a 17-keypoint schema (COCO's
   * defaults apply).
   */
  public static Optional<double[]> forSchema(KeypointSchema schema) {
    if (schema == null) {
      throw new IllegalArgumentException("schema must not be null");
    }
    if (schema.size() == COCO_KEYPOINTS) {
      return Optional.empty();
    }
    double[] coco = CocoEvalParams.cocoPersonSigmas();
    double[] out = new double[schema.size()];
    for (int i = 0; i < out.length; i++) {
      Integer index = COCO_PART_INDEX.get(bodyPart(schema.names().get(i)));
      out[i] = coco[index == null ? FALLBACK_INDEX : index];
    }
    return Optional.of(out);
  }

  /** The name without its side prefix, lower case: {@code Left_Knee} gives {@code knee}. */
  static String bodyPart(String name) {
    String n = name.toLowerCase(Locale.ROOT).trim();
    for (String prefix : SIDE_PREFIXES) {
      if (n.startsWith(prefix) && n.length() > prefix.length()) {
        return n.substring(prefix.length());
      }
    }
    return n;
  }
}
