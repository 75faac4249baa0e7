package dev.pix2seq.eval.caption;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of a caption evaluation: corpus BLEU-1..4 and CIDEr-D, the BLEU counts, each
 * evaluated image's scores (in ground-truth image order) and the images left out for lack of
 * a result. Immutable.
 *
 * @param bleu corpus BLEU-1..4
 * @param ciderD corpus CIDEr-D
 * @param bleuCounts the corpus BLEU counts (candidate and reference lengths, n-gram counts)
 * @param perImage each evaluated image's scores, in ground-truth image order
 * @param imagesWithoutResult ground-truth images with reference captions but no result, in
 *     ground-truth order: left out under {@link MissingResultPolicy#SKIP}, scored as empty
 *     captions under {@link MissingResultPolicy#SCORE_AS_EMPTY}
 */
public record CaptionEvaluation(
    BleuScore bleu,
    double ciderD,
    BleuCounts bleuCounts,
    Map<Long, ImageCaptionScores> perImage,
    List<Long> imagesWithoutResult) {

  /** JSON key of BLEU-1. */
  public static final String BLEU_1 = "BLEU-1";
  /** JSON key of BLEU-2. */
  public static final String BLEU_2 = "BLEU-2";
  /** JSON key of BLEU-3. */
  public static final String BLEU_3 = "BLEU-3";
  /** JSON key of BLEU-4. */
  public static final String BLEU_4 = "BLEU-4";
  /** JSON key of CIDEr-D. */
  public static final String CIDER_D = "CIDEr-D";

  /**
   * @throws IllegalArgumentException if no image was evaluated or {@code ciderD} is negative
   *     or not finite
   */
  public CaptionEvaluation {
    Objects.requireNonNull(bleu, "bleu");
    Objects.requireNonNull(bleuCounts, "bleuCounts");
    if (!(ciderD >= 0) || Double.isInfinite(ciderD)) {
      throw new IllegalArgumentException("CIDEr-D must be a finite number >= 0, found " + ciderD);
    }
    if (perImage.isEmpty()) {
      throw new IllegalArgumentException("an evaluation needs at least one image, found none");
    }
    perImage = Collections.unmodifiableMap(new LinkedHashMap<>(perImage));
    imagesWithoutResult = List.copyOf(imagesWithoutResult);
  }

  /** The number of evaluated images. */
  public int imageCount() {
    return perImage.size();
  }

  /**
   * The corpus metrics as an ordered map, ready to be written as the JSON object
   * {@code {"BLEU-1": ..., "BLEU-2": ..., "BLEU-3": ..., "BLEU-4": ..., "CIDEr-D": ...}}.
   */
  public Map<String, Double> metrics() {
    return metricMap(bleu, ciderD);
  }

  /** Each evaluated image's metrics, keyed as in {@link #metrics()}, in evaluation order. */
  public Map<Long, Map<String, Double>> perImageMetrics() {
    Map<Long, Map<String, Double>> out = new LinkedHashMap<>();
    perImage.forEach((id, s) -> out.put(id, metricMap(s.bleu(), s.ciderD())));
    return Collections.unmodifiableMap(out);
  }

  private static Map<String, Double> metricMap(BleuScore bleu, double ciderD) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(BLEU_1, bleu.bleu1());
    m.put(BLEU_2, bleu.bleu2());
    m.put(BLEU_3, bleu.bleu3());
    m.put(BLEU_4, bleu.bleu4());
    m.put(CIDER_D, ciderD);
    return Collections.unmodifiableMap(m);
  }
}
