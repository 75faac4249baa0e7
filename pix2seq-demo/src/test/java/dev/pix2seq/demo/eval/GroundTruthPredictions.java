package dev.pix2seq.demo.eval;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Caption;
import dev.pix2seq.api.value.Detection;
import dev.pix2seq.api.value.Keypoint;
import dev.pix2seq.api.value.Keypoints;
import dev.pix2seq.data.coco.CocoAnnotation;
import dev.pix2seq.data.coco.CocoCaption;
import dev.pix2seq.data.coco.CocoImage;
import dev.pix2seq.api.mask.RleMasks;
import dev.pix2seq.runtime.predict.ImagePredictions;
import dev.pix2seq.runtime.predict.KeypointPrediction;
import dev.pix2seq.runtime.predict.MaskPrediction;
import dev.pix2seq.runtime.predict.ObjectInstance;
import java.util.ArrayList;
import java.util.List;

/**
 * Predictions made from the ground truth itself (a perfect model), optionally spoiled: boxes
 * shifted, masks replaced by their boxes, keypoints moved, scores varied.
 */
final class GroundTruthPredictions {
  private GroundTruthPredictions() {}

  static List<ImagePredictions> perfect(EvaluationDataset data, List<Long> ids) {
    return make(data, ids, false);
  }

  static List<ImagePredictions> spoiled(EvaluationDataset data, List<Long> ids) {
    return make(data, ids, true);
  }

  private static List<ImagePredictions> make(EvaluationDataset data, List<Long> ids,
      boolean spoil) {
    List<ImagePredictions> out = new ArrayList<>();
    int k = 0;
    for (long id : ids) {
      CocoImage image = data.dataset().image(id);
      List<Detection> detections = new ArrayList<>();
      List<MaskPrediction> masks = new ArrayList<>();
      List<KeypointPrediction> keypoints = new ArrayList<>();
      for (CocoAnnotation a : data.dataset().annotationsOf(id)) {
        k++;
        double score = spoil ? 0.2 + 0.7 * ((k * 37) % 11) / 10.0 : 1.0;
        BoundingBox box = spoil
            ? a.bbox().transform(1, (k % 3) - 1.0, (k % 2) * 1.5)
            : a.bbox();
        detections.add(new Detection(box, a.categoryId(), score));
        ObjectInstance instance = ObjectInstance.of(a.bbox(), a.categoryId());
        masks.add(new MaskPrediction(instance, spoil
            ? RleMasks.fromBbox(a.bbox().toXywh(), image.height(), image.width())
            : RleMasks.toRle(a.segmentation(), image.height(), image.width()), score));
        if (a.keypoints() != null) {
          List<Keypoint> points = new ArrayList<>();
          for (Keypoint p : a.keypoints().points()) {
            points.add(spoil && p.visibility().isLabeled()
                ? new Keypoint(p.x() + (k % 3), p.y(), p.visibility(), 1) : p);
          }
          keypoints.add(new KeypointPrediction(instance, new Keypoints(points, score)));
        }
      }
      List<Caption> captions = new ArrayList<>();
      data.captions().ifPresent(c -> {
        List<CocoCaption> refs = c.captionsOf(id);
        if (!refs.isEmpty()) {
          captions.add(new Caption(refs.get(0).caption(), 1));
        }
      });
      out.add(new ImagePredictions(id, detections, masks, keypoints, captions));
    }
    return out;
  }
}
