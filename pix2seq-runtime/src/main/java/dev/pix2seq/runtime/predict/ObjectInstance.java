package dev.pix2seq.runtime.predict;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Detection;
import java.util.List;

/**
 * An object that an instance-level task (segmentation, keypoints) is asked about, in pixels of
 * the original image (unlike {@link dev.pix2seq.tasks.InstanceRequest}, whose box is normalised
 * over the model input; the predictor converts one into the other).
 *
 * @param box the object's box in image pixels
 * @param categoryId the dataset's category id
 * @param score confidence of the box in [0, 1] (a detection's score; 1 for a given box); the
 *     instance-level scores are multiplied by it
 */
public record ObjectInstance(BoundingBox box, int categoryId, double score) {

  public ObjectInstance {
    if (box == null) {
      throw new IllegalArgumentException("an object instance needs a box");
    }
    if (!(score >= 0 && score <= 1)) {
      throw new IllegalArgumentException("instance score must be in [0, 1], found " + score);
    }
  }

  /** A given box (ground truth, or drawn by a user): score 1. */
  public static ObjectInstance of(BoundingBox box, int categoryId) {
    return new ObjectInstance(box, categoryId, 1);
  }

  /** The object a detection found, with the detection's score. */
  public static ObjectInstance of(Detection detection) {
    return new ObjectInstance(detection.box(), detection.categoryId(), detection.score());
  }

  /** The objects of several detections, in order. */
  public static List<ObjectInstance> of(List<Detection> detections) {
    return detections.stream().map(ObjectInstance::of).toList();
  }
}
