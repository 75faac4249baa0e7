package dev.pix2seq.tasks.keypoint;

import dev.pix2seq.api.value.Keypoints;
import dev.pix2seq.tasks.InstanceRequest;

/**
 * One instance and its ground-truth keypoints, normalised over the padded square model input.
 *
 * @param instance the instance's box and category (the prompt)
 * @param keypoints one entry per keypoint of the category's schema, in schema order; unlabeled
 *     ones have visibility {@code UNLABELED}
 */
public record KeypointAnnotation(InstanceRequest instance, Keypoints keypoints) {

  public KeypointAnnotation {
    if (instance == null || keypoints == null) {
      throw new IllegalArgumentException("keypoint annotation needs an instance and keypoints");
    }
  }
}
