package dev.pix2seq.demo.eval;

import dev.pix2seq.eval.caption.CaptionEvaluation;
import dev.pix2seq.runtime.predict.CocoResultsWriter.CaptionResult;
import java.util.List;
import java.util.Map;

/**
 * Captioning scored by corpus BLEU-1..4 and CIDEr-D.
 *
 * @param evaluation the caption evaluation
 * @param results one caption per evaluated image that has reference captions
 */
public record CaptionScore(CaptionEvaluation evaluation, List<CaptionResult> results) {

  public CaptionScore {
    if (evaluation == null) {
      throw new IllegalArgumentException("a caption score needs its evaluation");
    }
    results = List.copyOf(results);
  }

  /** {@code BLEU-1} .. {@code BLEU-4} and {@code CIDEr-D}, in that order. */
  public Map<String, Double> metrics() {
    return evaluation.metrics();
  }
}
