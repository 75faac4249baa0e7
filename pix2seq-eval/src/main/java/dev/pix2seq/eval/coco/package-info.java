/**
 * COCO detection, segmentation and keypoint evaluation that reproduces pycocotools' {@code
 * COCOeval} number for number: the same image/category grouping, IoU and OKS, crowd and ignore
 * rules, area ranges, maxDets truncation, stable score ordering, greedy matching, 101-point
 * interpolated precision, and numpy's pairwise summation for the averages.
 *
 * <pre>{@code
 * CocoGroundTruth gt = CocoGroundTruth.read(Path.of("instances_val.json"));
 * CocoResults results = CocoResultsReader.read(Path.of("detections.json"), gt);
 * CocoEvalResult r = new CocoEvaluator().evaluate(gt, results, CocoEvalParams.defaults(IouType.BBOX));
 * r.summaryLines().forEach(System.out::println);   // the table pycocotools prints
 * double ap = r.stats()[0];                         // AP@[.50:.95]
 * }</pre>
 *
 * <p>Entry points: {@link dev.pix2seq.eval.coco.CocoGroundTruth} (ground truth),
 * {@link dev.pix2seq.eval.coco.CocoResultsReader} and {@link dev.pix2seq.eval.coco.CocoResults}
 * (results with pycocotools' {@code loadRes} rules), {@link dev.pix2seq.eval.coco.CocoEvalParams}
 * (pycocotools' {@code Params}), {@link dev.pix2seq.eval.coco.CocoEvaluator} (evaluate,
 * accumulate, summarize; parallel and deterministic) and
 * {@link dev.pix2seq.eval.coco.CocoEvalResult}. {@link dev.pix2seq.eval.coco.CocoEvalBenchmark}
 * times the whole pipeline on a generated large case.
 */
package dev.pix2seq.eval.coco;
