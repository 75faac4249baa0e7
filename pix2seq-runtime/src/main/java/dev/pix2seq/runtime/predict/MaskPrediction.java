package dev.pix2seq.runtime.predict;

import dev.pix2seq.api.value.RleMask;

/**
 * The predicted mask of one instance, at the resolution of the original image.
 *
 * @param instance the object that was asked about
 * @param mask the voted mask in COCO run-length encoding, {@code height x width} of the image
 * @param score the instance's score times the mean token probability of the sampled polygons;
 *     for an imported official model the instance's score, as the official evaluation scores it
 */
public record MaskPrediction(ObjectInstance instance, RleMask mask, double score) {

  public MaskPrediction {
    if (instance == null || mask == null) {
      throw new IllegalArgumentException("a mask prediction needs an instance and a mask");
    }
    if (!(score >= 0 && score <= 1)) {
      throw new IllegalArgumentException("mask score must be in [0, 1], found " + score);
    }
  }
}
