package dev.pix2seq.djl.translator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.modality.cv.output.Joints;
import ai.djl.modality.cv.output.Mask;
import ai.djl.modality.cv.output.Rectangle;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.pix2seq.api.DatasetException;
import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.Detection;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.api.value.Keypoint;
import dev.pix2seq.api.value.KeypointSchema;
import dev.pix2seq.api.value.Keypoints;
import dev.pix2seq.api.value.RleMask;
import dev.pix2seq.api.value.Visibility;
import dev.pix2seq.data.image.ImageFiles;
import dev.pix2seq.data.image.ImageReadOptions;
import dev.pix2seq.runtime.predict.MaskPrediction;
import dev.pix2seq.runtime.predict.ObjectInstance;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Conversions between DJL's cv types and pix2seq values. */
class DjlConverterTest {
  private static final double EPS = 1e-9;
  private static final KeypointSchema TWO_POINTS =
      new KeypointSchema(List.of("head", "foot"), List.of(new KeypointSchema.Edge(0, 1)));
  private final DjlConverter converter = new DjlConverter(List.of(
      new Category(1, "person", "", TWO_POINTS), Category.of(7, "box"), Category.of(9, "ball"),
      Category.of(10, "ball")));

  @Test
  void anInputImageOverThePixelBudgetIsRefusedBeforeConversion() {
    // 108 megapixels held in 13.5 MB (one bit a pixel).
    Image huge = ImageFactory.getInstance().fromImage(
        new BufferedImage(12_000, 9_000, BufferedImage.TYPE_BYTE_BINARY));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DjlConverter.toTensor(huge, null));
    assertTrue(e.getMessage().contains("12000x9000")
        && e.getMessage().contains("limit of 100.0 megapixels"), e.getMessage());
  }

  @Test
  void readImageAppliesTheBudgetAndNamesTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("photo.png");
    ImageFiles.writePng(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB), file);
    assertEquals(40, Pix2seqCriteria.readImage(file).getWidth());
    DatasetException e = assertThrows(DatasetException.class, () -> Pix2seqCriteria.readImage(
        file, ImageReadOptions.defaults().withMaxPixels(1000)));
    assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("40x30"),
        e.getMessage());
  }

  @Test
  void detectionsBecomeBoxesRelativeToTheImage() {
    DetectedObjects objects = converter.toDetectedObjects(List.of(
        new Detection(new BoundingBox(20, 10, 60, 40), 7, 0.75),
        new Detection(new BoundingBox(0, 0, 200, 50), 1, 0.5)), 200, 50);
    assertEquals(List.of("box", "person"), objects.getClassNames());
    assertEquals(List.of(0.75, 0.5), objects.getProbabilities());
    assertRectangle(0.1, 0.2, 0.2, 0.6,
        objects.<DetectedObjects.DetectedObject>item(0).getBoundingBox().getBounds());
    assertRectangle(0, 0, 1, 1,
        objects.<DetectedObjects.DetectedObject>item(1).getBoundingBox().getBounds());
  }

  @Test
  void boxesOutsideTheImageAreClipped() {
    Rectangle r = DjlConverter.relative(new BoundingBox(-10, 5, 120, 30), 100, 20);
    assertRectangle(0, 0.25, 1, 0.75, r);
  }

  @Test
  void djlObjectsBecomeInstancesInPixels() {
    DetectedObjects objects = new DetectedObjects(List.of("person", "box"), List.of(1.0, 0.25),
        List.of(new Rectangle(0.1, 0.2, 0.5, 0.4), new Rectangle(0, 0, 1, 1)));
    List<ObjectInstance> instances = converter.toInstances(objects, 200, 100);
    assertInstance(new BoundingBox(20, 20, 120, 60), 1, 1.0, instances.get(0));
    assertInstance(new BoundingBox(0, 0, 200, 100), 7, 0.25, instances.get(1));
  }

  @Test
  void classNamesMustNameExactlyOneCategory() {
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> converter.toInstances(one("dog", 1.0), 10, 10));
    assertTrue(unknown.getMessage().contains("'dog' is not a category"), unknown.getMessage());
    assertTrue(unknown.getMessage().contains("[ball, box, person]"), unknown.getMessage());
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> converter.toInstances(one("ball", 1.0), 10, 10));
    assertTrue(twice.getMessage().contains("several categories"), twice.getMessage());
  }

  @Test
  void probabilitiesOutsideZeroToOneAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> converter.toInstances(one("box", 1.5), 10, 10));
    assertTrue(e.getMessage().contains("found 1.5"), e.getMessage());
  }

  @Test
  void masksBecomeFullImageMasksRowByRow() {
    // 3 rows x 2 columns, column-major runs: 1 zero, 2 ones (column 0 rows 1-2), 3 zeros.
    RleMask rle = new RleMask(3, 2, new int[] {1, 2, 3});
    float[][] p = DjlConverter.toProbabilities(rle);
    assertArrayEquals(new float[][] {{0, 0}, {1, 0}, {1, 0}}, p);
    ObjectInstance box = new ObjectInstance(new BoundingBox(0, 1, 1, 3), 7, 0.8);
    DetectedObjects masked =
        converter.toMaskedObjects(List.of(new MaskPrediction(box, rle, 0.4)), 2, 3);
    DetectedObjects.DetectedObject o = masked.item(0);
    assertEquals("box", o.getClassName());
    assertEquals(0.4, o.getProbability(), EPS);
    Mask mask = assertInstanceOf(Mask.class, o.getBoundingBox());
    assertTrue(mask.isFullImageMask());
    assertArrayEquals(p, mask.getProbDist());
    assertRectangle(0, 1 / 3.0, 0.5, 2 / 3.0, mask.getBounds());
  }

  @Test
  void keypointsBecomeRelativeJointsAndUnplacedOnesZero() {
    Keypoints k = new Keypoints(List.of(new Keypoint(50, 30, Visibility.VISIBLE, 0.6),
        Keypoint.unlabeled(), new Keypoint(120, -4, Visibility.VISIBLE, 0.9)), 0.7);
    List<Joints.Joint> joints = DjlConverter.toJoints(k, 100, 60).getJoints();
    assertEquals(3, joints.size());
    assertJoint(joints.get(0), 0.5, 0.5, 0.6);
    assertJoint(joints.get(1), 0, 0, 0);
    assertJoint(joints.get(2), 1, 0, 0.9);
  }

  @Test
  void anImageArrayGivesTheSameTensorAsTheBufferedImage() {
    BufferedImage b = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 5; x++) {
        b.setRGB(x, y, (x * 50 << 16) | (y * 100 << 8) | (x * 10 + y));
      }
    }
    Image image = ai.djl.modality.cv.ImageFactory.getInstance().fromImage(b);
    try (NDManager manager = NDManager.newBaseManager("PyTorch");
        NDArray hwc = image.toNDArray(manager, Image.Flag.COLOR)) {
      ImageTensor viaArray = DjlConverter.fromHwc(hwc);
      assertEquals(ImageFiles.toTensor(b), viaArray);
      assertEquals(viaArray, DjlConverter.toTensor(image, manager));
    }
  }

  private static DetectedObjects one(String name, double probability) {
    return new DetectedObjects(List.of(name), List.of(probability),
        List.of(new Rectangle(0.1, 0.1, 0.5, 0.5)));
  }

  private static void assertRectangle(
      double x, double y, double width, double height, Rectangle r) {
    assertEquals(x, r.getX(), EPS, "x of " + r);
    assertEquals(y, r.getY(), EPS, "y of " + r);
    assertEquals(width, r.getWidth(), EPS, "width of " + r);
    assertEquals(height, r.getHeight(), EPS, "height of " + r);
  }

  private static void assertInstance(
      BoundingBox box, int categoryId, double score, ObjectInstance actual) {
    assertEquals(categoryId, actual.categoryId());
    assertEquals(score, actual.score(), EPS);
    assertArrayEquals(box.toXywh(), actual.box().toXywh(), 1e-9, actual.toString());
  }

  private static void assertJoint(Joints.Joint j, double x, double y, double confidence) {
    assertEquals(x, j.getX(), EPS);
    assertEquals(y, j.getY(), EPS);
    assertEquals(confidence, j.getConfidence(), EPS);
  }
}
