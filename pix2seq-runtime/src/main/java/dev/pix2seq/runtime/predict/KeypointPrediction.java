package dev.pix2seq.runtime.predict;

import dev.pix2seq.api.value.Keypoints;

/**
 * The predicted keypoints of one instance, in pixels of the original image, in the order of the
 * category's keypoint schema. Every keypoint the model placed is {@code VISIBLE} (the model does
 * not tell occluded from visible); one it did not place is {@code UNLABELED} at 0, 0. {@link
 * Keypoints#score()} is the instance's score times the mean probability of the keypoint tokens;
 * for an imported official model it is the mean probability of the non-padding keypoint tokens
 * alone, as the official evaluation scores it.
 *
 * @param instance the object that was asked about
 * @param keypoints the keypoints
 */
public record KeypointPrediction(ObjectInstance instance, Keypoints keypoints) {

  public KeypointPrediction {
    if (instance == null || keypoints == null) {
      throw new IllegalArgumentException("a keypoint prediction needs an instance and keypoints");
    }
  }
}
