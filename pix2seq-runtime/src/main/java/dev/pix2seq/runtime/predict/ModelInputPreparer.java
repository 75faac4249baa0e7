package dev.pix2seq.runtime.predict;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.data.augment.AnnotatedImage;
import dev.pix2seq.data.augment.KeypointContextCrop;
import dev.pix2seq.tasks.examples.ExampleOptions;
import dev.pix2seq.tasks.examples.ModelInputs;
import java.util.List;

/**
 * Builds model inputs with the training code's own un-augmented path ({@link ModelInputs#plain}
 * with {@link ExampleOptions#plain}), so inference sees images exactly as training did. Immutable
 * and thread-safe.
 */
final class ModelInputPreparer {
  private final ModelInputs inputs;
  private final KeypointContextCrop contextCrop;

  ModelInputPreparer(int inputSize, List<Category> categories) {
    this.inputs = new ModelInputs(ExampleOptions.plain(inputSize), categories);
    this.contextCrop = KeypointContextCrop.padded();
  }

  /** The whole image: longer side resized to the input size, padded bottom/right with grey. */
  ModelInput whole(ImageTensor image) {
    return input(inputs.plain(sample(image)), image);
  }

  /**
   * The keypoint task's view of one instance: the image cropped to the box grown by half its size
   * on each side (grey beyond the image), then resized and padded like {@link #whole}.
   */
  ModelInput keypointContext(ImageTensor image, BoundingBox box) {
    return input(inputs.plain(contextCrop.crop(sample(image), box)), image);
  }

  private static AnnotatedImage sample(ImageTensor image) {
    if (image.channels() != 3) {
      throw new IllegalArgumentException(
          "images must have 3 (RGB) channels, found " + image.channels());
    }
    return AnnotatedImage.of(image, List.of(), List.of());
  }

  private static ModelInput input(AnnotatedImage prepared, ImageTensor source) {
    return new ModelInput(
        prepared.image(), source.width(), source.height(), prepared.fromSource());
  }
}
