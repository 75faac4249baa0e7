package dev.pix2seq.djl.translator;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.modality.cv.output.Joints;
import ai.djl.modality.cv.output.Mask;
import ai.djl.modality.cv.output.Rectangle;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.Detection;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.api.value.Keypoint;
import dev.pix2seq.api.value.Keypoints;
import dev.pix2seq.api.value.RleMask;
import dev.pix2seq.data.image.ImageFiles;
import dev.pix2seq.data.image.ImageReadOptions;
import dev.pix2seq.runtime.predict.MaskPrediction;
import dev.pix2seq.runtime.predict.ObjectInstance;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Converts between DJL's computer-vision types and pix2seq values for the categories of one
 * vocabulary. DJL geometry is relative to the image (0..1 on each axis, what {@link
 * Image#drawBoundingBoxes} and {@link Image#drawJoints} expect); pix2seq geometry is in image
 * pixels. DJL names classes, pix2seq numbers categories: a class name is a category name.
 * Immutable and thread-safe.
 */
final class DjlConverter {
  private final Map<Integer, String> namesById = new HashMap<>();
  private final Map<String, Integer> idsByName = new HashMap<>();
  private final Set<String> ambiguousNames = new TreeSet<>();

  DjlConverter(List<Category> categories) {
    for (Category c : categories) {
      namesById.put(c.id(), c.name());
      if (idsByName.putIfAbsent(c.name(), c.id()) != null) {
        ambiguousNames.add(c.name());
      }
    }
  }

  // ---- images -------------------------------------------------------------------------------

  /**
   * The image as the model's RGB tensor ({@code byte / 255}). A {@link BufferedImage} (DJL's
   * default image factory) is read directly; any other image through {@link
   * Image#toNDArray(NDManager)} in {@code manager}.
   *
   * @throws IllegalArgumentException for an image over the default pixel budget ({@link
   *     ImageReadOptions#DEFAULT_MAX_PIXELS})
   */
  static ImageTensor toTensor(Image image, NDManager manager) {
    ImageReadOptions.defaults().checkSize("the input image", image.getWidth(), image.getHeight());
    if (image.getWrappedImage() instanceof BufferedImage buffered) {
      return ImageFiles.toTensor(buffered);
    }
    try (NDArray hwc = image.toNDArray(manager, Image.Flag.COLOR)) {
      return fromHwc(hwc);
    }
  }

  /**
   * An RGB tensor from DJL's {@code (height, width, 3)} 8-bit image array.
   *
   * @throws IllegalArgumentException if the array is not of that shape and type
   */
  static ImageTensor fromHwc(NDArray hwc) {
    Shape shape = hwc.getShape();
    if (shape.dimension() != 3 || shape.get(2) != 3
        || (hwc.getDataType() != DataType.UINT8 && hwc.getDataType() != DataType.INT8)) {
      throw new IllegalArgumentException(
          "expected an image array of shape (height, width, 3) and type uint8, found " + shape
              + " " + hwc.getDataType());
    }
    int h = Math.toIntExact(shape.get(0));
    int w = Math.toIntExact(shape.get(1));
    byte[] bytes = hwc.toByteArray();
    int plane = h * w;
    float[] pixels = new float[3 * plane];
    for (int i = 0; i < plane; i++) {
      for (int c = 0; c < 3; c++) {
        pixels[c * plane + i] = (bytes[3 * i + c] & 0xFF) / 255f;
      }
    }
    return new ImageTensor(pixels, 3, h, w);
  }

  // ---- objects in -----------------------------------------------------------------------------

  /**
   * DJL objects as pix2seq instances in the pixels of a {@code width x height} image.
   *
   * @throws IllegalArgumentException if a class name is not exactly one category's name, a box
   *     is empty-sided or malformed, or a probability is outside [0, 1]
   */
  List<ObjectInstance> toInstances(DetectedObjects objects, int width, int height) {
    List<DetectedObjects.DetectedObject> items = objects.items();
    List<ObjectInstance> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      DetectedObjects.DetectedObject o = items.get(i);
      Rectangle r = o.getBoundingBox().getBounds();
      BoundingBox box;
      try {
        box = new BoundingBox(r.getX() * width, r.getY() * height,
            (r.getX() + r.getWidth()) * width, (r.getY() + r.getHeight()) * height);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "object " + i + " ('" + o.getClassName() + "'): " + e.getMessage(), e);
      }
      double p = o.getProbability();
      if (!(p >= 0 && p <= 1)) {
        throw new IllegalArgumentException("object " + i + " ('" + o.getClassName()
            + "'): probability must be in [0, 1], found " + p);
      }
      out.add(new ObjectInstance(box, categoryId(o.getClassName(), i), p));
    }
    return out;
  }

  private int categoryId(String name, int index) {
    if (ambiguousNames.contains(name)) {
      throw new IllegalArgumentException("object " + index + ": class name '" + name
          + "' names several categories of the checkpoint");
    }
    Integer id = idsByName.get(name);
    if (id == null) {
      throw new IllegalArgumentException("object " + index + ": class name '" + name
          + "' is not a category of the checkpoint; known: " + new TreeSet<>(idsByName.keySet()));
    }
    return id;
  }

  // ---- results out ----------------------------------------------------------------------------

  /** Detections (pixels of a {@code width x height} image) as DJL objects with plain boxes. */
  DetectedObjects toDetectedObjects(List<Detection> detections, int width, int height) {
    List<String> names = new ArrayList<>(detections.size());
    List<Double> scores = new ArrayList<>(detections.size());
    List<ai.djl.modality.cv.output.BoundingBox> boxes = new ArrayList<>(detections.size());
    for (Detection d : detections) {
      names.add(nameOf(d.categoryId()));
      scores.add(d.score());
      boxes.add(relative(d.box(), width, height));
    }
    return new DetectedObjects(names, scores, boxes);
  }

  /**
   * Masks as DJL objects whose boxes are full-image {@link Mask}s: the rectangle is the
   * instance's box, the probability distribution is the voted mask ({@code [row][column]}, 1
   * inside, 0 outside) over the whole image; the probability is the mask's score.
   */
  DetectedObjects toMaskedObjects(List<MaskPrediction> masks, int width, int height) {
    List<String> names = new ArrayList<>(masks.size());
    List<Double> scores = new ArrayList<>(masks.size());
    List<ai.djl.modality.cv.output.BoundingBox> boxes = new ArrayList<>(masks.size());
    for (MaskPrediction m : masks) {
      Rectangle r = relative(m.instance().box(), width, height);
      names.add(nameOf(m.instance().categoryId()));
      scores.add(m.score());
      boxes.add(new Mask(r.getX(), r.getY(), r.getWidth(), r.getHeight(), toProbabilities(m.mask()),
          true));
    }
    return new DetectedObjects(names, scores, boxes);
  }

  /**
   * Keypoints (pixels of a {@code width x height} image) as DJL joints, one per keypoint of the
   * category's schema, in its order. A placed keypoint becomes a joint at its position clipped
   * to the image, with the keypoint's score as confidence; one the model did not place becomes
   * a joint at 0, 0 with confidence 0.
   */
  static Joints toJoints(Keypoints keypoints, int width, int height) {
    List<Joints.Joint> joints = new ArrayList<>(keypoints.points().size());
    for (Keypoint k : keypoints.points()) {
      joints.add(k.visibility().isLabeled()
          ? new Joints.Joint(clip01(k.x() / width), clip01(k.y() / height), clip01(k.score()))
          : new Joints.Joint(0, 0, 0));
    }
    return new Joints(joints);
  }

  /** A box in pixels of a {@code width x height} image as a DJL rectangle clipped to 0..1. */
  static Rectangle relative(BoundingBox box, int width, int height) {
    BoundingBox c = box.clip(width, height);
    return new Rectangle(c.xMin() / width, c.yMin() / height, c.width() / width,
        c.height() / height);
  }

  /** A COCO run-length mask as {@code [row][column]} values, 1 inside, 0 outside. */
  static float[][] toProbabilities(RleMask mask) {
    int h = mask.height();
    float[][] out = new float[h][mask.width()];
    long at = 0;
    int[] counts = mask.counts();
    for (int i = 0; i < counts.length; i++) {
      if (i % 2 == 1) {
        for (long p = at; p < at + counts[i]; p++) {
          out[(int) (p % h)][(int) (p / h)] = 1f;
        }
      }
      at += counts[i];
    }
    return out;
  }

  private String nameOf(int categoryId) {
    String name = namesById.get(categoryId);
    return name != null ? name : Integer.toString(categoryId);
  }

  private static double clip01(double v) {
    return v >= 0 ? Math.min(1, v) : 0;
  }
}
