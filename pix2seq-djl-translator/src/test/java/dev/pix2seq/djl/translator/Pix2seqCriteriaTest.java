package dev.pix2seq.djl.translator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.output.BoundingBox;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.modality.cv.output.Joints;
import ai.djl.modality.cv.output.Mask;
import ai.djl.modality.cv.output.Rectangle;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.runtime.checkpoint.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pix2seq checkpoints through DJL's own API: Criteria, ZooModel, Predictor and DJL's output
 * types, on an untrained tiny checkpoint. An untrained model may find no object at all, so the
 * checks on detected objects hold for whatever it finds; the instance-level tasks get their
 * objects given and must answer for each.
 */
class Pix2seqCriteriaTest {
  private static final double EPS = 1e-9;

  @TempDir static Path shared;
  private static Path run;
  private static Category person;
  private static Category thing;
  private static List<String> categoryNames;

  @TempDir Path tmp;

  @BeforeAll
  static void trainTinyCheckpoint() throws Exception {
    run = TinyCheckpoint.train(shared, TinyCheckpoint.ALL_TASKS);
    List<Category> categories = Checkpoint.readManifest(run).categories();
    person = categories.stream().filter(c -> c.keypoints() != null).findFirst().orElseThrow();
    categoryNames = categories.stream().map(Category::name).toList();
    thing = categories.stream().filter(c -> c.keypoints() == null).findFirst().orElseThrow();
  }

  /** Segment few samples so that the tests stay fast. */
  private static <I, O> Criteria<I, O> fewSamples(Criteria<I, O> criteria) {
    return criteria.toBuilder().optArgument("segmentationSamples", "2").build();
  }

  @Test
  void detectionGivesRelativeBoxesThatDjlDraws() throws Exception {
    Image image = TinyCheckpoint.image(80, 60);
    try (ZooModel<Image, DetectedObjects> model = Pix2seqCriteria.detection(run).loadModel();
        Predictor<Image, DetectedObjects> predictor = model.newPredictor()) {
      DetectedObjects objects = predictor.predict(image);
      assertWellFormed(objects);
      for (DetectedObjects.DetectedObject o : objects.<DetectedObjects.DetectedObject>items()) {
        assertFalse(o.getBoundingBox() instanceof Mask, "detection boxes are plain rectangles");
      }
      assertEquals(objects.getClassNames(), predictor.predict(image).getClassNames(),
          "the same call gives the same result");
      List<DetectedObjects> batch =
          predictor.batchPredict(List.of(image, TinyCheckpoint.image(40, 70)));
      assertEquals(2, batch.size());
      batch.forEach(Pix2seqCriteriaTest::assertWellFormed);
      image.drawBoundingBoxes(objects);
    }
  }

  @Test
  void segmentationOfAnImageMasksWhatDetectionFinds() throws Exception {
    Image image = TinyCheckpoint.image(80, 60);
    DetectedObjects detected;
    try (ZooModel<Image, DetectedObjects> model = Pix2seqCriteria.detection(run).loadModel();
        Predictor<Image, DetectedObjects> predictor = model.newPredictor()) {
      detected = predictor.predict(image);
    }
    try (ZooModel<Image, DetectedObjects> model =
            fewSamples(Pix2seqCriteria.segmentation(run)).loadModel();
        Predictor<Image, DetectedObjects> predictor = model.newPredictor()) {
      DetectedObjects masked = predictor.predict(image);
      assertWellFormed(masked);
      assertEquals(detected.getClassNames(), masked.getClassNames());
      for (int i = 0; i < masked.getNumberOfObjects(); i++) {
        DetectedObjects.DetectedObject o = masked.item(i);
        Mask mask = assertInstanceOf(Mask.class, o.getBoundingBox());
        assertFullImageMask(mask, 80, 60);
        DetectedObjects.DetectedObject d = detected.item(i);
        assertSameRectangle(d.getBoundingBox().getBounds(), mask.getBounds(), EPS);
      }
      image.drawBoundingBoxes(masked);
    }
  }

  @Test
  void segmentationOfGivenObjectsMasksEachOfThem() throws Exception {
    Image image = TinyCheckpoint.image(80, 60);
    DetectedObjects given = new DetectedObjects(List.of(thing.name(), person.name()),
        List.of(0.9, 1.0),
        List.of(new Rectangle(0.1, 0.2, 0.3, 0.4), new Rectangle(0.5, 0.1, 0.4, 0.8)));
    Criteria<ImageObjects, DetectedObjects> criteria = fewSamples(Pix2seqCriteria.builder()
        .setTypes(ImageObjects.class, DetectedObjects.class).optModelPath(run).build());
    try (ZooModel<ImageObjects, DetectedObjects> model = criteria.loadModel();
        Predictor<ImageObjects, DetectedObjects> predictor = model.newPredictor()) {
      DetectedObjects masked = predictor.predict(new ImageObjects(image, given));
      assertEquals(given.getClassNames(), masked.getClassNames());
      assertWellFormed(masked);
      for (int i = 0; i < 2; i++) {
        DetectedObjects.DetectedObject o = masked.item(i);
        Mask mask = assertInstanceOf(Mask.class, o.getBoundingBox());
        assertFullImageMask(mask, 80, 60);
        assertSameRectangle(given.<DetectedObjects.DetectedObject>item(i).getBoundingBox()
            .getBounds(), mask.getBounds(), 1e-6);
      }
      assertTrue(masked.<DetectedObjects.DetectedObject>item(0).getProbability() <= 0.9 + EPS,
          "a mask's score is at most its object's");
      image.drawBoundingBoxes(masked);
    }
  }

  @Test
  void keypointsOfGivenObjectsAreOneJointsPerObject() throws Exception {
    Image image = TinyCheckpoint.image(70, 90);
    DetectedObjects people = new DetectedObjects(List.of(person.name(), person.name()),
        List.of(1.0, 0.5),
        List.of(new Rectangle(0.1, 0.1, 0.3, 0.7), new Rectangle(0.6, 0.3, 0.35, 0.6)));
    try (ZooModel<ImageObjects, Joints[]> model = Pix2seqCriteria.keypoints(run).loadModel();
        Predictor<ImageObjects, Joints[]> predictor = model.newPredictor()) {
      Joints[] poses = predictor.predict(new ImageObjects(image, people));
      assertEquals(2, poses.length);
      for (Joints joints : poses) {
        assertEquals(person.keypoints().size(), joints.getJoints().size());
        assertRelative(joints);
        image.drawJoints(joints);
      }
      DetectedObjects notAPerson = new DetectedObjects(List.of(thing.name()), List.of(1.0),
          List.of(new Rectangle(0.1, 0.1, 0.5, 0.5)));
      TranslateException e = assertThrows(TranslateException.class,
          () -> predictor.predict(new ImageObjects(image, notAPerson)));
      assertTrue(causes(e).contains("keypoint"), causes(e));
      DetectedObjects unknown = new DetectedObjects(List.of("unicorn"), List.of(1.0),
          List.of(new Rectangle(0.1, 0.1, 0.5, 0.5)));
      e = assertThrows(TranslateException.class,
          () -> predictor.predict(new ImageObjects(image, unknown)));
      assertTrue(causes(e).contains("'unicorn' is not a category"), causes(e));
    }
  }

  @Test
  void posesOfAnImageCoverItsDetectedPersons() throws Exception {
    Image image = TinyCheckpoint.image(64, 64);
    try (ZooModel<Image, Joints[]> model = Pix2seqCriteria.poses(run).loadModel();
        Predictor<Image, Joints[]> predictor = model.newPredictor()) {
      Joints[] poses = predictor.predict(image);
      assertNotNull(poses);
      for (Joints joints : poses) {
        assertEquals(person.keypoints().size(), joints.getJoints().size());
        assertRelative(joints);
        image.drawJoints(joints);
      }
    }
  }

  @Test
  void captionIsAString() throws Exception {
    try (ZooModel<Image, String> model = Pix2seqCriteria.caption(run).loadModel();
        Predictor<Image, String> predictor = model.newPredictor()) {
      List<String> captions = predictor.batchPredict(
          List.of(TinyCheckpoint.image(64, 48), TinyCheckpoint.image(30, 30)));
      assertEquals(2, captions.size());
      captions.forEach(Assertions::assertNotNull);
    }
  }

  @Test
  void aCriteriaBuiltByHandWithTheFactoryWorks() throws Exception {
    Criteria<Image, String> criteria = Criteria.builder()
        .setTypes(Image.class, String.class)
        .optModelPath(run.resolve(Checkpoint.RUN_CHECKPOINT_DIR))
        .optEngine("PyTorch")
        .optBlock(Pix2seqCriteria.placeholderBlock())
        .optOption("hasParameter", "false")
        .optTranslatorFactory(new Pix2seqTranslatorFactory())
        .optArgument("seed", 7)
        .build();
    try (ZooModel<Image, String> model = criteria.loadModel();
        Predictor<Image, String> predictor = model.newPredictor()) {
      assertNotNull(predictor.predict(TinyCheckpoint.image(50, 50)));
      Pix2seqTranslator<?, ?> translator =
          assertInstanceOf(Pix2seqTranslator.class, model.getTranslator());
      assertEquals(7, translator.handle().predictor().config().seed());
    }
  }

  @Test
  void closingTheModelReleasesTheCheckpoint() throws Exception {
    ZooModel<Image, DetectedObjects> model = Pix2seqCriteria.detection(run).loadModel();
    Pix2seqTranslator<?, ?> translator =
        assertInstanceOf(Pix2seqTranslator.class, model.getTranslator());
    Predictor<Image, DetectedObjects> predictor = model.newPredictor();
    predictor.predict(TinyCheckpoint.image(32, 32));
    assertFalse(translator.handle().isClosed());
    predictor.close();
    model.close();
    assertTrue(translator.handle().isClosed());
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> translator.handle().predictor());
    assertTrue(e.getMessage().contains("was closed with its DJL model"), e.getMessage());
    Pix2seqModel network = translator.handle().checkpoint().model();
    assertThrows(IllegalStateException.class,
        () -> network.encoder().encode(List.of(ImageTensor.zeros(8, 8))).close(),
        "the network's native memory is released");
  }

  @Test
  void aDirectoryWithoutCheckpointFailsToLoadNamingIt() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Files.writeString(empty.resolve("notes.txt"), "no checkpoint here");
    Pix2seqLoadException e = assertThrows(Pix2seqLoadException.class,
        () -> Pix2seqCriteria.detection(empty).loadModel().close());
    assertTrue(e.getMessage().contains("no checkpoint found"), "the reason is the message: "
        + causes(e));
    assertTrue(hasCause(e, CheckpointException.class), causes(e));
  }

  @Test
  void aTruncatedCheckpointFailsToLoadWithTheRealReasonAsTheMessage() throws Exception {
    Path damaged = tmp.resolve("truncated");
    copyTree(run, damaged);
    Path weights = damaged.resolve("checkpoint").resolve(Checkpoint.WEIGHTS_FILE);
    byte[] bytes = Files.readAllBytes(weights);
    Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length / 2));

    Pix2seqLoadException e = assertThrows(Pix2seqLoadException.class,
        () -> Pix2seqCriteria.detection(damaged).loadModel().close());
    assertTrue(e.getMessage().contains(Checkpoint.WEIGHTS_FILE), e.getMessage());
    assertTrue(hasCause(e, CheckpointException.class), causes(e));
  }

  @Test
  void aTaskTheTypesDoNotRunFailsToLoad() {
    Criteria<Image, DetectedObjects> criteria = Pix2seqCriteria.detection(run).toBuilder()
        .optArgument(Pix2seqTranslatorFactory.TASK_ARGUMENT, "describe").build();
    Pix2seqLoadException e =
        assertThrows(Pix2seqLoadException.class, () -> criteria.loadModel().close());
    assertTrue(e.getMessage().contains("expected one of [detect, segment]"), causes(e));
  }

  @Test
  void aBadInferenceArgumentFailsToLoadNamingIt() {
    Criteria<Image, DetectedObjects> criteria = Pix2seqCriteria.detection(run).toBuilder()
        .optArgument("batchSize", "0").build();
    Pix2seqLoadException e =
        assertThrows(Pix2seqLoadException.class, () -> criteria.loadModel().close());
    assertTrue(e.getMessage().contains("batchSize"), causes(e));
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static void assertWellFormed(DetectedObjects objects) {
    for (DetectedObjects.DetectedObject o : objects.<DetectedObjects.DetectedObject>items()) {
      assertTrue(categoryNames.contains(o.getClassName()), o.getClassName());
      assertTrue(o.getProbability() >= 0 && o.getProbability() <= 1, o.toString());
      BoundingBox box = o.getBoundingBox();
      Rectangle r = box.getBounds();
      assertTrue(r.getX() >= 0 && r.getY() >= 0 && r.getWidth() >= 0 && r.getHeight() >= 0,
          r.toString());
      assertTrue(r.getX() + r.getWidth() <= 1 + EPS && r.getY() + r.getHeight() <= 1 + EPS,
          r.toString());
    }
  }

  private static void assertSameRectangle(Rectangle expected, Rectangle actual, double eps) {
    assertArrayEquals(
        new double[] {expected.getX(), expected.getY(), expected.getWidth(), expected.getHeight()},
        new double[] {actual.getX(), actual.getY(), actual.getWidth(), actual.getHeight()}, eps,
        actual.toString());
  }

  private static void assertFullImageMask(Mask mask, int width, int height) {
    assertTrue(mask.isFullImageMask());
    float[][] p = mask.getProbDist();
    assertEquals(height, p.length);
    for (float[] row : p) {
      assertEquals(width, row.length);
      for (float v : row) {
        assertTrue(v == 0f || v == 1f, "mask value " + v);
      }
    }
  }

  private static void assertRelative(Joints joints) {
    for (Joints.Joint j : joints.getJoints()) {
      assertTrue(j.getX() >= 0 && j.getX() <= 1 && j.getY() >= 0 && j.getY() <= 1,
          j.toString());
      assertTrue(j.getConfidence() >= 0 && j.getConfidence() <= 1, j.toString());
    }
  }

  private static void copyTree(Path from, Path to) throws java.io.IOException {
    try (java.util.stream.Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  private static String causes(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append(" | ");
    }
    return sb.toString();
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
