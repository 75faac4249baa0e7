package dev.pix2seq.eval.caption;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CIDEr-D exactly as the COCO caption toolkit's {@code cider_scorer.py} computes it (the
 * toolkit's "CIDEr" is this CIDEr-D variant):
 * <ul>
 *   <li>document frequency {@code df(g)} = the number of evaluated images whose references
 *       contain n-gram {@code g}, counted over the evaluated images only (so the score of one
 *       image depends on which other images are evaluated);</li>
 *   <li>for each caption and order n = 1..4 a tf-idf vector {@code tf(g) * (log(N) -
 *       log(max(1, df(g))))}, N the number of evaluated images;</li>
 *   <li>per reference and order: the candidate-clipped dot product {@code sum_g min(h_g, r_g)
 *       * r_g} divided by both norms (left as is when a norm is 0), times the Gaussian length
 *       penalty {@code e^(-delta^2 / (2 * 6^2))}, where {@code delta} is the difference in
 *       length, counted (as the toolkit does) in bigrams, i.e. tokens minus one for a
 *       non-empty caption;</li>
 *   <li>an image's score = the mean over the 4 orders of the summed per-reference values,
 *       divided by the number of references, times 10; the corpus score = the mean over
 *       images.</li>
 * </ul>
 * Sums run in the toolkit's order (n-grams by first occurrence, references in ground-truth
 * order, numpy's pairwise summation for the corpus mean), so the results agree with the
 * toolkit to the last bit or two. Logarithms and the penalty use {@link StrictMath} (fdlibm):
 * reproducible on every JVM, and on the reference case closer to the toolkit's numpy/libm
 * results than the {@link Math} intrinsics. Stateless and thread safe.
 */
public final class CiderDScorer {
  /** The highest n-gram order. */
  public static final int MAX_ORDER = NGramCounts.MAX_ORDER;
  /** The standard deviation of the Gaussian length penalty. */
  public static final double SIGMA = 6.0;
  /** The factor the mean similarity is multiplied by. */
  public static final double SCALE = 10.0;

  /** Creates the scorer (it has no state). */
  public CiderDScorer() {}

  /**
   * A caption's tf-idf vectors per order as parallel arrays (n-gram ids in first-occurrence
   * order, values), their norms, and its length in bigrams. Id -1 marks an n-gram that no
   * evaluated reference contains.
   */
  private record TfIdf(int[][] ids, double[][] values, double[] norms, int bigrams) {}

  /**
   * Scores the samples, in the order given.
   *
   * @throws IllegalArgumentException if there are no samples or an image id repeats
   */
  public CiderDResult score(List<CaptionSample> samples) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("CIDEr-D needs at least one image, found none");
    }
    Set<Long> seen = new HashSet<>();
    for (CaptionSample sample : samples) {
      if (!seen.add(sample.imageId())) {
        throw new IllegalArgumentException("image " + sample.imageId() + " appears twice");
      }
    }
    Map<String, Integer> ids = new HashMap<>();
    List<List<NGramCounts>> references = new ArrayList<>(samples.size());
    for (CaptionSample sample : samples) {
      List<NGramCounts> refs = new ArrayList<>(sample.references().size());
      for (List<String> ref : sample.references()) {
        NGramCounts counts = NGramCounts.of(ref);
        for (int n = 1; n <= MAX_ORDER; n++) {
          for (String gram : counts.order(n).keySet()) {
            ids.putIfAbsent(gram, ids.size());
          }
        }
        refs.add(counts);
      }
      references.add(refs);
    }
    double[] weights = idfWeights(references, ids, samples.size());
    double unseenWeight = StrictMath.log((double) samples.size());

    double[] scores = new double[samples.size()];
    Map<Long, Double> perImage = new LinkedHashMap<>();
    for (int i = 0; i < samples.size(); i++) {
      TfIdf candidate = tfIdf(NGramCounts.of(samples.get(i).candidate()), ids, weights,
          unseenWeight);
      double[] summed = new double[MAX_ORDER];
      for (NGramCounts ref : references.get(i)) {
        double[] sim = similarity(candidate, tfIdf(ref, ids, weights, unseenWeight));
        for (int k = 0; k < MAX_ORDER; k++) {
          summed[k] += sim[k];
        }
      }
      double score = numpySum(summed, 0, MAX_ORDER) / MAX_ORDER;
      score /= references.get(i).size();
      score *= SCALE;
      scores[i] = score;
      perImage.put(samples.get(i).imageId(), score);
    }
    double corpus = (0.0 + numpySum(scores, 0, scores.length)) / scores.length;
    return new CiderDResult(corpus, perImage);
  }

  /**
   * The idf weight {@code log(N) - log(max(1, df))} of every reference n-gram, by id, where
   * df counts the images whose references (together) contain the n-gram.
   */
  private static double[] idfWeights(List<List<NGramCounts>> references,
      Map<String, Integer> ids, int images) {
    int[] documentFrequency = new int[ids.size()];
    int[] lastImage = new int[ids.size()];
    Arrays.fill(lastImage, -1);
    for (int image = 0; image < references.size(); image++) {
      for (NGramCounts ref : references.get(image)) {
        for (int n = 1; n <= MAX_ORDER; n++) {
          for (String gram : ref.order(n).keySet()) {
            int id = ids.get(gram);
            if (lastImage[id] != image) {
              lastImage[id] = image;
              documentFrequency[id]++;
            }
          }
        }
      }
    }
    double logImages = StrictMath.log((double) images);
    double[] weights = new double[ids.size()];
    for (int id = 0; id < weights.length; id++) {
      weights[id] = logImages - StrictMath.log(Math.max(1.0, documentFrequency[id]));
    }
    return weights;
  }

  private static TfIdf tfIdf(NGramCounts counts, Map<String, Integer> ids, double[] weights,
      double unseenWeight) {
    int[][] gramIds = new int[MAX_ORDER][];
    double[][] values = new double[MAX_ORDER][];
    double[] norms = new double[MAX_ORDER];
    int bigrams = 0;
    for (int n = 1; n <= MAX_ORDER; n++) {
      Map<String, Integer> grams = counts.order(n);
      int[] orderIds = new int[grams.size()];
      double[] orderValues = new double[grams.size()];
      double squares = 0.0;
      int j = 0;
      for (Map.Entry<String, Integer> e : grams.entrySet()) {
        Integer id = ids.get(e.getKey());
        double weight = id == null ? unseenWeight : weights[id];
        double value = (double) e.getValue() * weight;
        orderIds[j] = id == null ? -1 : id;
        orderValues[j] = value;
        squares += value * value;
        if (n == 2) {
          bigrams += e.getValue();
        }
        j++;
      }
      gramIds[n - 1] = orderIds;
      values[n - 1] = orderValues;
      norms[n - 1] = Math.sqrt(squares);
    }
    return new TfIdf(gramIds, values, norms, bigrams);
  }

  private static double[] similarity(TfIdf candidate, TfIdf reference) {
    double delta = (double) (candidate.bigrams() - reference.bigrams());
    double penalty = StrictMath.pow(Math.E, -(delta * delta) / (2 * SIGMA * SIGMA));
    double[] values = new double[MAX_ORDER];
    for (int k = 0; k < MAX_ORDER; k++) {
      int[] refIds = reference.ids()[k];
      double[] refValues = reference.values()[k];
      int[] candIds = candidate.ids()[k];
      double[] candValues = candidate.values()[k];
      double value = 0.0;
      for (int j = 0; j < candIds.length; j++) {
        int at = indexOf(refIds, candIds[j]);
        if (at >= 0) {
          double r = refValues[at];
          value += Math.min(candValues[j], r) * r;
        }
      }
      if (candidate.norms()[k] != 0 && reference.norms()[k] != 0) {
        value /= candidate.norms()[k] * reference.norms()[k];
      }
      values[k] = value * penalty;
    }
    return values;
  }

  /** The position of {@code id} in {@code ids}; -1 when absent or when id is -1. */
  private static int indexOf(int[] ids, int id) {
    if (id < 0) {
      return -1;
    }
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] == id) {
        return i;
      }
    }
    return -1;
  }

  /**
   * numpy's pairwise summation of {@code a[from .. from+count)} (what {@code np.mean} uses
   * for float64 arrays): plain left-to-right below 8 values, 8 interleaved partial sums up to
   * 128, halves (rounded to a multiple of 8) above.
   */
  static double numpySum(double[] a, int from, int count) {
    if (count < 8) {
      double sum = -0.0;
      for (int i = 0; i < count; i++) {
        sum += a[from + i];
      }
      return sum;
    }
    if (count <= 128) {
      double[] r = new double[8];
      System.arraycopy(a, from, r, 0, 8);
      int i = 8;
      for (; i < count - (count % 8); i += 8) {
        for (int j = 0; j < 8; j++) {
          r[j] += a[from + i + j];
        }
      }
      double sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
      for (; i < count; i++) {
        sum += a[from + i];
      }
      return sum;
    }
    int half = count / 2;
    half -= half % 8;
    return numpySum(a, from, half) + numpySum(a, from + half, count - half);
  }

  @Override
  public String toString() {
    return "CiderDScorer[sigma " + SIGMA + ", orders 1.." + MAX_ORDER + ", x" + SCALE + "]";
  }
}
