package dev.pix2seq.djl.translator;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.modality.cv.output.Joints;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.repository.zoo.Criteria;
import dev.pix2seq.api.DatasetException;
import dev.pix2seq.data.image.ImageFiles;
import dev.pix2seq.data.image.ImageReadOptions;
import java.nio.file.Path;
import java.util.Objects;

/**
 * DJL {@link Criteria} for pix2seq checkpoints: the entry point for DJL users. The path is a
 * checkpoint directory or a training run directory (which holds {@code checkpoint/}).
 *
 * <pre>{@code
 * try (ZooModel<Image, DetectedObjects> model = Pix2seqCriteria.detection(run).loadModel();
 *     Predictor<Image, DetectedObjects> predictor = model.newPredictor()) {
 *   Image image = Pix2seqCriteria.readImage(Path.of("street.jpg"));
 *   DetectedObjects objects = predictor.predict(image);
 *   image.drawBoundingBoxes(objects);
 * }
 * }</pre>
 *
 * <p>A pix2seq checkpoint is not a TorchScript file, so DJL is told to build the model around a
 * placeholder block without parameters ({@link #builder()}); the {@link
 * Pix2seqTranslatorFactory} loads the checkpoint itself. Building criteria does no I/O; a bad
 * path or checkpoint fails in {@code loadModel()}.
 */
public final class Pix2seqCriteria {

  /** The DJL engine pix2seq runs on: {@value}. */
  public static final String ENGINE = "PyTorch";

  /** The DJL load option that must be {@code false}: the block has no parameter file. */
  public static final String HAS_PARAMETER_OPTION = "hasParameter";

  private Pix2seqCriteria() {}

  /**
   * A criteria builder with everything but the types, the model path and the arguments: the
   * PyTorch engine, the {@linkplain #placeholderBlock() placeholder block}, {@code
   * hasParameter=false} and the {@link Pix2seqTranslatorFactory}. Call {@code setTypes} first.
   *
   * <pre>{@code
   * Criteria<ImageObjects, DetectedObjects> masks = Pix2seqCriteria.builder()
   *     .setTypes(ImageObjects.class, DetectedObjects.class)
   *     .optModelPath(run)
   *     .optArgument("segmentationSamples", 4)
   *     .build();
   * }</pre>
   */
  public static Criteria.Builder<?, ?> builder() {
    return Criteria.builder()
        .optEngine(ENGINE)
        .optBlock(placeholderBlock())
        .optOption(HAS_PARAMETER_OPTION, "false")
        .optTranslatorFactory(new Pix2seqTranslatorFactory());
  }

  /**
   * The block DJL's model holds: it passes its input through and is never run (the
   * translators decode with the pix2seq network directly). Stateless.
   */
  public static Block placeholderBlock() {
    return new LambdaBlock(list -> list, "pix2seq-placeholder");
  }

  /** Objects in an image, boxes relative to it. */
  public static Criteria<Image, DetectedObjects> detection(Path run) {
    return builder().setTypes(Image.class, DetectedObjects.class).optModelPath(path(run)).build();
  }

  /**
   * Objects in an image with their masks: each object's box is a full-image {@code Mask}
   * (values 1 inside, 0 outside); its probability is the mask's score.
   */
  public static Criteria<Image, DetectedObjects> segmentation(Path run) {
    return builder().setTypes(Image.class, DetectedObjects.class).optModelPath(path(run))
        .optArgument(Pix2seqTranslatorFactory.TASK_ARGUMENT, "segment").build();
  }

  /** The keypoints of given objects (e.g. persons a detector found), one {@code Joints} each. */
  public static Criteria<ImageObjects, Joints[]> keypoints(Path run) {
    return builder().setTypes(ImageObjects.class, Joints[].class).optModelPath(path(run)).build();
  }

  /**
   * The keypoints of every object detected in an image whose category has a keypoint schema
   * (persons), one {@code Joints} each, in detection order.
   */
  public static Criteria<Image, Joints[]> poses(Path run) {
    return builder().setTypes(Image.class, Joints[].class).optModelPath(path(run)).build();
  }

  /** A caption of an image. */
  public static Criteria<Image, String> caption(Path run) {
    return builder().setTypes(Image.class, String.class).optModelPath(path(run)).build();
  }

  /**
   * An image file as a DJL image, read safely and upright: its header's size is checked against
   * the pixel budget before decoding (a small file declaring a huge image is refused, not
   * decoded into an {@code OutOfMemoryError}) and its EXIF orientation is applied, as {@link
   * ImageFiles#read(Path)} does. DJL's own {@code ImageFactory.fromFile} does neither.
   *
   * @throws DatasetException naming the file if it is missing, not an image, or too large
   */
  public static Image readImage(Path file) throws DatasetException {
    return readImage(file, ImageReadOptions.defaults());
  }

  /** {@link #readImage(Path)} with other read options (pixel budget, stored pixels). */
  public static Image readImage(Path file, ImageReadOptions options) throws DatasetException {
    return ImageFactory.getInstance().fromImage(ImageFiles.read(file, options));
  }

  private static Path path(Path run) {
    return Objects.requireNonNull(run, "run");
  }
}
