/**
 * A trained model scored on a COCO-format dataset, task by task: {@link
 * dev.pix2seq.demo.eval.ModelEvaluator} runs the model ({@code detect}, {@code segment} and
 * {@code keypoint} prompted by ground-truth boxes and by the model's own detections, {@code
 * describe}) and {@link dev.pix2seq.demo.eval.PredictionScorer} scores the predictions with
 * pix2seq-eval (COCO AP as pycocotools computes it, BLEU and CIDEr-D as the COCO caption toolkit
 * does). The result, a {@link dev.pix2seq.demo.eval.ModelEvaluation}, writes COCO results files,
 * a metrics JSON and precision/recall plots.
 */
package dev.pix2seq.demo.eval;
