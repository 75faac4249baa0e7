package dev.pix2seq.eval.caption;

import dev.pix2seq.api.DatasetException;
import dev.pix2seq.data.coco.CocoCaption;
import dev.pix2seq.data.coco.CocoDataset;
import dev.pix2seq.data.coco.CocoImage;
import dev.pix2seq.data.coco.CocoReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Evaluates generated captions against a COCO captions ground truth the way the COCO caption
 * toolkit's {@code COCOEvalCap} does for BLEU and CIDEr-D: both sides tokenised
 * ({@link PtbCaptionTokenizer} by default), the evaluated images taken in ground-truth order,
 * each image's references in ground-truth order, corpus and per-image BLEU-1..4
 * ({@link BleuScorer}) and CIDEr-D ({@link CiderDScorer}).
 *
 * <pre>{@code
 * CaptionEvaluation e = CaptionEvaluator.builder().build()
 *     .evaluate(Path.of("captions_val2017.json"), Path.of("results.json"));
 * System.out.println(e.metrics());
 * }</pre>
 *
 * <p><b>Which images.</b> The toolkit evaluates exactly the images that appear in the
 * results. So does the default {@link MissingResultPolicy#SKIP}; the images with references
 * but no result are reported in {@link CaptionEvaluation#imagesWithoutResult()}. The other
 * policies score them as empty captions or fail.
 *
 * <p><b>Bad results</b> (a {@link DatasetException} naming the results source, the entry's
 * index and field): an {@code image_id} not in the ground truth (the toolkit's assertion in
 * {@code loadRes}), an image given twice (the toolkit asserts one caption per image), an
 * image without reference captions (the toolkit asserts at least one), and an empty results
 * list (the toolkit crashes), unless {@link MissingResultPolicy#SCORE_AS_EMPTY} gives it
 * images to score.
 *
 * <p>Immutable and thread safe (as long as the tokenizer is).
 */
public final class CaptionEvaluator {
  private static final int LISTED_IDS = 5;

  private final CaptionTokenizer tokenizer;
  private final MissingResultPolicy missingResults;

  private CaptionEvaluator(Builder b) {
    this.tokenizer = b.tokenizer;
    this.missingResults = b.missingResults;
  }

  /** A builder with the toolkit's defaults (PTB tokenisation, {@code SKIP}). */
  public static Builder builder() {
    return new Builder();
  }

  /** The tokenizer applied to references and candidates. */
  public CaptionTokenizer tokenizer() {
    return tokenizer;
  }

  /** What happens to ground-truth images without a result. */
  public MissingResultPolicy missingResultPolicy() {
    return missingResults;
  }

  /**
   * Reads a COCO captions file (strictly, with {@link CocoReader}) and a results file
   * ({@link CaptionResultsReader}) and evaluates.
   *
   * @throws DatasetException if a file is missing or bad (see the class description)
   */
  public CaptionEvaluation evaluate(Path groundTruth, Path results) throws DatasetException {
    CocoDataset gt = new CocoReader().readCaptions(groundTruth).dataset();
    List<GeneratedCaption> generated = new CaptionResultsReader().read(results);
    return evaluate(gt, generated, results.toString());
  }

  /**
   * Evaluates results already in memory.
   *
   * @param groundTruth images and their reference captions
   * @param results one caption per image, indexed by position in messages
   * @param resultsSource what to call the results in error messages (a file name)
   * @throws DatasetException if the results are bad (see the class description)
   */
  public CaptionEvaluation evaluate(CocoDataset groundTruth, List<GeneratedCaption> results,
      String resultsSource) throws DatasetException {
    Objects.requireNonNull(groundTruth, "groundTruth");
    Objects.requireNonNull(resultsSource, "resultsSource");
    Map<Long, GeneratedCaption> byImage = indexResults(groundTruth, results, resultsSource);

    List<Long> withoutResult = new ArrayList<>();
    List<CaptionSample> samples = new ArrayList<>();
    for (CocoImage image : groundTruth.images()) {
      List<CocoCaption> refs = groundTruth.captionsOf(image.id());
      GeneratedCaption result = byImage.get(image.id());
      if (result == null) {
        if (refs.isEmpty()) {
          continue;
        }
        withoutResult.add(image.id());
        if (missingResults != MissingResultPolicy.SCORE_AS_EMPTY) {
          continue;
        }
      }
      List<List<String>> refTokens = new ArrayList<>(refs.size());
      for (CocoCaption ref : refs) {
        refTokens.add(tokenizer.tokenize(ref.caption()));
      }
      List<String> candidate = result == null ? List.of() : tokenizer.tokenize(result.caption());
      samples.add(new CaptionSample(image.id(), candidate, refTokens));
    }
    if (missingResults == MissingResultPolicy.FAIL && !withoutResult.isEmpty()) {
      throw new DatasetException(resultsSource + ": expected a result for every image with "
          + "reference captions, found none for " + withoutResult.size() + " image(s) (ids "
          + listIds(withoutResult) + ")");
    }
    if (samples.isEmpty()) {
      throw new DatasetException(results.isEmpty()
          ? resultsSource + ": expected at least one caption result, found an empty list"
          : resultsSource + ": nothing to evaluate: the ground truth holds no reference captions");
    }

    BleuResult bleu = new BleuScorer().score(samples);
    CiderDResult cider = new CiderDScorer().score(samples);
    Map<Long, ImageCaptionScores> perImage = new LinkedHashMap<>();
    for (CaptionSample s : samples) {
      long id = s.imageId();
      perImage.put(id, new ImageCaptionScores(
          bleu.perImage().get(id), bleu.perImageCounts().get(id), cider.perImage().get(id)));
    }
    return new CaptionEvaluation(bleu.corpus(), cider.corpus(), bleu.totals(), perImage,
        withoutResult);
  }

  /** Checks that every result names a distinct ground-truth image with references. */
  private static Map<Long, GeneratedCaption> indexResults(CocoDataset groundTruth,
      List<GeneratedCaption> results, String source) throws DatasetException {
    Map<Long, GeneratedCaption> byImage = new HashMap<>();
    Map<Long, Integer> firstIndex = new HashMap<>();
    for (int i = 0; i < results.size(); i++) {
      GeneratedCaption r = Objects.requireNonNull(results.get(i), "results[" + i + "]");
      String at = source + ": [" + i + "].image_id: ";
      Integer previous = firstIndex.putIfAbsent(r.imageId(), i);
      if (previous != null) {
        throw new DatasetException(at + "expected one result per image, found image id "
            + r.imageId() + " again (first at [" + previous + "])");
      }
      if (groundTruth.image(r.imageId()) == null) {
        throw new DatasetException(at + "expected an image id of the ground truth, found "
            + r.imageId() + ", which is not there");
      }
      if (groundTruth.captionsOf(r.imageId()).isEmpty()) {
        throw new DatasetException(at + "image " + r.imageId() + " has no reference captions "
            + "in the ground truth; BLEU and CIDEr-D need at least one");
      }
      byImage.put(r.imageId(), r);
    }
    return byImage;
  }

  private static String listIds(List<Long> ids) {
    String shown = ids.stream().limit(LISTED_IDS).map(String::valueOf)
        .collect(Collectors.joining(", "));
    return ids.size() > LISTED_IDS ? shown + ", ..." : shown;
  }

  @Override
  public String toString() {
    return "CaptionEvaluator[tokenizer " + tokenizer + ", missing results " + missingResults
        + "]";
  }

  /** Builds a {@link CaptionEvaluator}; every setting is optional. */
  public static final class Builder {
    private CaptionTokenizer tokenizer = CaptionTokenizer.ptb();
    private MissingResultPolicy missingResults = MissingResultPolicy.SKIP;

    private Builder() {}

    /**
     * The tokenizer for references and candidates (default: {@link PtbCaptionTokenizer}; use
     * {@link CaptionTokenizer#whitespace()} for captions that are already tokenised).
     */
    public Builder optTokenizer(CaptionTokenizer tokenizer) {
      this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
      return this;
    }

    /** What to do with images that have references but no result (default {@code SKIP}). */
    public Builder optMissingResultPolicy(MissingResultPolicy policy) {
      this.missingResults = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The evaluator. */
    public CaptionEvaluator build() {
      return new CaptionEvaluator(this);
    }
  }
}
