/**
 * Caption metrics as the COCO caption toolkit (coco-caption / pycocoevalcap) computes them:
 * its tokenisation ({@link dev.pix2seq.eval.caption.PtbCaptionTokenizer}), corpus and
 * per-image BLEU-1..4 ({@link dev.pix2seq.eval.caption.BleuScorer}) and CIDEr-D
 * ({@link dev.pix2seq.eval.caption.CiderDScorer}), and an evaluator that reads a COCO captions
 * ground truth and a results file ({@link dev.pix2seq.eval.caption.CaptionEvaluator}).
 *
 * <pre>{@code
 * CaptionEvaluation e = CaptionEvaluator.builder().build()
 *     .evaluate(Path.of("captions_val.json"), Path.of("results.json"));
 * Map<String, Double> json = e.metrics(); // {"BLEU-1": ..., ..., "CIDEr-D": ...}
 * }</pre>
 *
 * <p>Every value type here is immutable and every class thread safe.
 */
package dev.pix2seq.eval.caption;
