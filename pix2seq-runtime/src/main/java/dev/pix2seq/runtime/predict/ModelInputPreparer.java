package dev.pix2seq.runtime.predict;

import dev.pix2seq.api.config.NetworkVariant;
import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.data.augment.AnnotatedImage;
import dev.pix2seq.data.augment.KeypointContextCrop;
import dev.pix2seq.data.augment.OfficialKeypointCrop;
import dev.pix2seq.data.augment.OfficialPad;
import dev.pix2seq.data.augment.OfficialResize;
import dev.pix2seq.data.image.ImageFiles;
import dev.pix2seq.tasks.examples.ExampleOptions;
import dev.pix2seq.tasks.examples.ModelInputs;
import java.util.List;

/**
 * Builds model inputs the way the model's network expects them, chosen by its {@link
 * NetworkVariant}. Immutable and thread-safe.
 *
 * <ul>
 *   <li>{@link NetworkVariant#PIX2SEQ_JAVA}: the training code's own un-augmented path ({@link
 *       ModelInputs#plain} with {@link ExampleOptions#plain}), so inference sees images exactly
 *       as training did: plain bilinear resize of the longer side, 0.3 grey bottom/right; for
 *       keypoints first twice the box, grey beyond the image ({@link
 *       KeypointContextCrop#padded()}).
 *   <li>{@link NetworkVariant#OFFICIAL}: the official Pix2seq evaluation pipeline, bit for bit:
 *       8-bit levels as TensorFlow decodes them ({@link ImageFiles#toTensorFlowLevels}),
 *       TensorFlow's antialiased bilinear resize with its own size rounding ({@link
 *       OfficialResize}), padding as {@code 0.3 + pad(x - 0.3)} ({@link OfficialPad}); for
 *       keypoints first the official {@code crop_to_bbox} window ({@link OfficialKeypointCrop}).
 * </ul>
 */
final class ModelInputPreparer {
  private final NetworkVariant network;
  private final ModelInputs inputs;
  private final KeypointContextCrop contextCrop;
  private final OfficialResize officialResize;
  private final OfficialPad officialPad;
  private final OfficialKeypointCrop officialCrop;

  /** The preparer of the default network ({@link NetworkVariant#PIX2SEQ_JAVA}). */
  ModelInputPreparer(int inputSize, List<Category> categories) {
    this(inputSize, categories, NetworkVariant.PIX2SEQ_JAVA);
  }

  ModelInputPreparer(int inputSize, List<Category> categories, NetworkVariant network) {
    if (network == null) {
      throw new IllegalArgumentException("the network variant must not be null");
    }
    this.network = network;
    this.inputs = new ModelInputs(ExampleOptions.plain(inputSize), categories);
    this.contextCrop = KeypointContextCrop.padded();
    this.officialResize = new OfficialResize(inputSize);
    this.officialPad = new OfficialPad(inputSize);
    this.officialCrop = OfficialKeypointCrop.defaults();
  }

  /** The whole image: longer side resized to the input size, padded bottom/right with grey. */
  ModelInput whole(ImageTensor image) {
    AnnotatedImage sample = sample(image);
    AnnotatedImage prepared = network == NetworkVariant.OFFICIAL
        ? officialPad.pad(officialResize.resize(sample))
        : inputs.plain(sample);
    return input(prepared, image);
  }

  /**
   * The keypoint task's view of one instance: the image cropped around the box (default
   * network: twice the box, grey beyond the image; official: the official window, clipped to
   * the image), then resized and padded like {@link #whole}.
   */
  ModelInput keypointContext(ImageTensor image, BoundingBox box) {
    AnnotatedImage sample = sample(image);
    AnnotatedImage prepared = network == NetworkVariant.OFFICIAL
        ? officialPad.pad(officialResize.resize(officialCrop.crop(sample, box)))
        : inputs.plain(contextCrop.crop(sample, box));
    return input(prepared, image);
  }

  private AnnotatedImage sample(ImageTensor image) {
    if (image.channels() != 3) {
      throw new IllegalArgumentException(
          "images must have 3 (RGB) channels, found " + image.channels());
    }
    ImageTensor decoded =
        network == NetworkVariant.OFFICIAL ? ImageFiles.toTensorFlowLevels(image) : image;
    return AnnotatedImage.of(decoded, List.of(), List.of());
  }

  private static ModelInput input(AnnotatedImage prepared, ImageTensor source) {
    return new ModelInput(
        prepared.image(), source.width(), source.height(), prepared.fromSource());
  }
}
