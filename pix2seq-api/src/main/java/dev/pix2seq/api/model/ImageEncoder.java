package dev.pix2seq.api.model;

import dev.pix2seq.api.value.ImageTensor;
import java.util.List;

/** Encodes square model-input images (already padded and resized) into image features. */
public interface ImageEncoder {

  /**
   * Encodes a batch of images of the model's input size.
   *
   * @throws IllegalArgumentException if an image has the wrong size or channel count
   */
  ImageFeatures encode(List<ImageTensor> images);
}
