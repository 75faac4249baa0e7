package dev.pix2seq.eval.coco;

/**
 * The evaluation of one image and category for one area range: pycocotools' {@code evalImgs}
 * entry, for inspecting how detections were matched. Detections are in score order, cut to the
 * largest maxDets; ground truth is ordered not-ignored first. A match of 0 means unmatched (as
 * in pycocotools, where ids are never 0 for detections and ground truth with id 0 can never
 * count as matched).
 *
 * <p>Arrays are not copied; treat them as read-only.
 *
 * @param imageId the image
 * @param categoryId the category, or -1 when categories are pooled (useCats off)
 * @param areaRange the area range
 * @param maxDet the largest maxDets
 * @param dtIds detection ids (result index + 1)
 * @param gtIds ground-truth annotation ids
 * @param dtScores detection scores
 * @param dtMatches {@code [t][d]}: the matched ground truth's id, or 0
 * @param gtMatches {@code [t][g]}: the matched detection's id, or 0
 * @param dtIgnore {@code [t][d]}: whether the detection is ignored
 * @param gtIgnore {@code [g]}: whether the ground truth is ignored (crowd, no keypoints, or
 *     outside the area range)
 */
public record ImageEvaluation(
    long imageId,
    int categoryId,
    AreaRange areaRange,
    int maxDet,
    long[] dtIds,
    long[] gtIds,
    double[] dtScores,
    long[][] dtMatches,
    long[][] gtMatches,
    boolean[][] dtIgnore,
    boolean[] gtIgnore) {}
