package dev.pix2seq.tasks.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.task.TrainingSequence;
import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Caption;
import dev.pix2seq.api.value.Detection;
import dev.pix2seq.api.value.Keypoint;
import dev.pix2seq.api.value.Keypoints;
import dev.pix2seq.api.value.Point;
import dev.pix2seq.api.value.Polygon;
import dev.pix2seq.api.value.PolygonMask;
import dev.pix2seq.api.value.TokenSequence;
import dev.pix2seq.data.augment.AnnotatedImage;
import dev.pix2seq.data.augment.AnnotatedInstance;
import dev.pix2seq.data.augment.CoordinateMap;
import dev.pix2seq.data.augment.KeypointContextCrop;
import dev.pix2seq.data.synth.SceneOptions;
import dev.pix2seq.data.synth.SyntheticSceneGenerator;
import dev.pix2seq.tasks.InstanceRequest;
import dev.pix2seq.tasks.TaskContext;
import dev.pix2seq.tasks.TaskRegistry;
import dev.pix2seq.tasks.describe.CaptionCodec;
import dev.pix2seq.tasks.describe.DescribeOptions;
import dev.pix2seq.tasks.describe.DescribeRequest;
import dev.pix2seq.tasks.detect.DetectRequest;
import dev.pix2seq.tasks.detect.DetectionCodec;
import dev.pix2seq.tasks.keypoint.KeypointCodec;
import dev.pix2seq.tasks.keypoint.KeypointRequest;
import dev.pix2seq.tasks.segment.SegmentationCodec;
import dev.pix2seq.tokenizer.BpeTokenizer;
import dev.pix2seq.tokenizer.Vocabulary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Dataset image -> model input -> training sequence -> decode lands back on the annotation. */
class ExampleBuildersTest {
  private static final int SOURCE = 96;
  private static final int INPUT = 128;
  private static final List<String> TASKS = List.of("detect", "segment", "keypoint", "describe");

  private static SyntheticSceneGenerator generator;
  private static Vocabulary vocab;
  private static TaskContext context;
  private static TaskRegistry registry;

  @BeforeAll
  static void setUp() {
    generator =
        new SyntheticSceneGenerator(
            SceneOptions.defaults().withSeed(11).withSize(SOURCE, SOURCE));
    List<String> corpus = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      corpus.addAll(generator.generate(i).toAnnotatedImage().captions());
    }
    vocab = new Vocabulary(Vocabulary.defaultLayout(), generator.categories(),
        BpeTokenizer.train(corpus, 400, 1));
    context = TaskContext.of(vocab);
    registry = TaskRegistry.discover(ExampleBuildersTest.class.getClassLoader());
  }

  private static AnnotatedImage scene(int i) {
    return generator.generate(i).toAnnotatedImage();
  }

  @Test
  void augmentedExamplesAreSquareAndAcceptedByTheirConstraints() {
    Map<String, ExampleBuilder> builders =
        ExampleBuilders.builtIn(registry, context, ExampleOptions.training(INPUT), TASKS);
    SplittableRandom rng = new SplittableRandom(5);
    int[] built = new int[TASKS.size()];
    for (int i = 0; i < 40; i++) {
      AnnotatedImage source = scene(i);
      for (int t = 0; t < TASKS.size(); t++) {
        String task = TASKS.get(t);
        Optional<TrainingExample> ex = builders.get(task).build(source, rng);
        if (ex.isEmpty()) {
          continue;
        }
        built[t]++;
        assertEquals(task, ex.get().task());
        assertEquals(INPUT, ex.get().image().width());
        assertEquals(INPUT, ex.get().image().height());
        assertTrue(accepted(task, ex.get().sequence()), task + " target rejected, scene " + i);
      }
    }
    assertEquals(40, built[0], "every scene gives a detection example");
    assertEquals(40, built[3], "every scene has captions");
    assertTrue(built[1] >= 35, "segment examples: " + built[1]);
    assertTrue(built[2] >= 10, "keypoint examples: " + built[2]);
  }

  @Test
  void sameSeedGivesTheSameExample() {
    Map<String, ExampleBuilder> builders =
        ExampleBuilders.builtIn(registry, context, ExampleOptions.training(INPUT), TASKS);
    for (String task : TASKS) {
      Optional<TrainingExample> a = builders.get(task).build(scene(3), new SplittableRandom(9));
      Optional<TrainingExample> b = builders.get(task).build(scene(3), new SplittableRandom(9));
      assertEquals(a, b, task);
    }
  }

  @Test
  void detectionTargetsDecodeToTheSourceBoxes() {
    ExampleBuilder b =
        ExampleBuilders.builtIn(registry, context, ExampleOptions.plain(INPUT), List.of("detect"))
            .get("detect");
    DetectionCodec codec = registry.codec("detect", context, DetectionCodec.class);
    double scale = (double) SOURCE / INPUT;
    for (int i = 0; i < 20; i++) {
      AnnotatedImage source = scene(i);
      TrainingSequence seq = b.build(source, new SplittableRandom(i)).orElseThrow().sequence();
      List<BoundingBox> decoded =
          codec.decode(DetectRequest.ALL_OBJECTS, TokenSequence.of(seq.target())).stream()
              .map(Detection::box)
              .map(box -> box.transform(INPUT * scale, 0, 0))
              .sorted(BOX_ORDER)
              .toList();
      List<BoundingBox> expected =
          source.instances().stream().map(AnnotatedInstance::box).sorted(BOX_ORDER).toList();
      assertEquals(expected.size(), decoded.size(), "scene " + i);
      for (int k = 0; k < expected.size(); k++) {
        assertBoxNear(expected.get(k), decoded.get(k), 0.2);
      }
    }
  }

  @Test
  void segmentationTargetsStayInsideTheirPromptBox() {
    ExampleBuilder b =
        ExampleBuilders.builtIn(registry, context, ExampleOptions.training(INPUT),
            List.of("segment")).get("segment");
    SegmentationCodec codec = registry.codec("segment", context, SegmentationCodec.class);
    double bin = vocab.quantizer().binWidth();
    for (int i = 0; i < 30; i++) {
      Optional<TrainingExample> ex = b.build(scene(i), new SplittableRandom(i));
      if (ex.isEmpty()) {
        continue;
      }
      InstanceRequest request = instanceOf(ex.get().sequence().prompt());
      PolygonMask mask = codec.decode(request, TokenSequence.of(ex.get().sequence().target()));
      assertTrue(mask.polygons().size() >= 1);
      BoundingBox box = request.box();
      for (Polygon p : mask.polygons()) {
        for (Point q : p.points()) {
          assertTrue(q.x() >= box.xMin() - bin && q.x() <= box.xMax() + bin
              && q.y() >= box.yMin() - bin && q.y() <= box.yMax() + bin,
              "vertex " + q + " outside prompt box " + box + " in scene " + i);
        }
      }
    }
  }

  @Test
  void keypointTargetsMapBackToTheSourceKeypointsThroughTheContextCrop() {
    ExampleOptions plain = ExampleOptions.plain(INPUT);
    ExampleBuilder b =
        ExampleBuilders.builtIn(registry, context, plain, List.of("keypoint")).get("keypoint");
    KeypointCodec codec = registry.codec("keypoint", context, KeypointCodec.class);
    ModelInputs inputs = new ModelInputs(plain, generator.categories());
    int checked = 0;
    for (int i = 0; i < 40; i++) {
      AnnotatedImage full = scene(i);
      for (AnnotatedInstance person : full.instances()) {
        if (!person.hasKeypoints() || person.keypoints().labeledCount() == 0) {
          continue;
        }
        AnnotatedImage source = AnnotatedImage.of(full.image(), List.of(person), List.of());
        TrainingSequence seq = b.build(source, new SplittableRandom(i)).orElseThrow().sequence();
        Keypoints decoded =
            codec.decode(
                new KeypointRequest(instanceOf(seq.prompt()), true),
                TokenSequence.of(seq.target()));
        CoordinateMap toSource =
            inputs.plain(KeypointContextCrop.padded().crop(source, person)).fromSource().inverse();
        List<Keypoint> truth = person.keypoints().points();
        assertEquals(truth.size(), decoded.points().size());
        for (int k = 0; k < truth.size(); k++) {
          Keypoint d = decoded.points().get(k);
          assertEquals(truth.get(k).visibility().isLabeled(), d.visibility().isLabeled(),
              "keypoint " + k + " of scene " + i);
          if (d.visibility().isLabeled()) {
            Point back = toSource.apply(new Point(d.x() * INPUT, d.y() * INPUT));
            assertEquals(truth.get(k).x(), back.x(), 0.3, "x of keypoint " + k);
            assertEquals(truth.get(k).y(), back.y(), 0.3, "y of keypoint " + k);
            checked++;
          }
        }
      }
    }
    assertTrue(checked > 50, "labeled keypoints checked: " + checked);
  }

  @Test
  void captionTargetsDecodeToAReferenceCaption() {
    ExampleBuilder b =
        ExampleBuilders.builtIn(registry, context, ExampleOptions.plain(INPUT),
            List.of("describe")).get("describe");
    CaptionCodec codec = registry.codec("describe", context, CaptionCodec.class);
    for (int i = 0; i < 20; i++) {
      AnnotatedImage source = scene(i);
      TrainingSequence seq = b.build(source, new SplittableRandom(i)).orElseThrow().sequence();
      Caption c = codec.decode(DescribeRequest.IMAGE, TokenSequence.of(seq.target()));
      assertTrue(source.captions().contains(c.text()), c.text() + " not in " + source.captions());
    }
  }

  @Test
  void firstCaptionChoiceWithKeptOrientationAlwaysWritesTheFirstCaptionOfTheUnflippedImage() {
    TaskContext first = context.withOptions("describe", DescribeOptions.defaults()
        .withCaptionChoice(DescribeOptions.CaptionChoice.FIRST).withKeepOrientation(true));
    ExampleBuilder b = ExampleBuilders.builtIn(registry, first, ExampleOptions.training(INPUT),
        List.of("describe")).get("describe");
    CaptionCodec codec = registry.codec("describe", first, CaptionCodec.class);
    ModelInputs inputs = new ModelInputs(ExampleOptions.plain(INPUT), vocab.categories());
    for (int i = 0; i < 20; i++) {
      AnnotatedImage source = scene(i);
      TrainingExample ex = b.build(source, new SplittableRandom(i)).orElseThrow();
      Caption c = codec.decode(DescribeRequest.IMAGE, TokenSequence.of(ex.sequence().target()));
      assertEquals(source.captions().get(0), c.text());
      assertEquals(inputs.plain(source).image(), ex.image(), "scene " + i + " was flipped");
    }
  }

  private static boolean accepted(String task, TrainingSequence seq) {
    return switch (task) {
      case "detect" -> registry.codec(task, context, DetectionCodec.class)
          .constraint(DetectRequest.ALL_OBJECTS).accepts(seq.target());
      case "segment" -> registry.codec(task, context, SegmentationCodec.class)
          .constraint(instanceOf(seq.prompt())).accepts(seq.target());
      case "keypoint" -> registry.codec(task, context, KeypointCodec.class)
          .constraint(new KeypointRequest(instanceOf(seq.prompt()), true)).accepts(seq.target());
      case "describe" -> registry.codec(task, context, CaptionCodec.class)
          .constraint(DescribeRequest.IMAGE).accepts(seq.target());
      default -> throw new IllegalArgumentException(task);
    };
  }

  /** The instance named by a {@code [task] ymin xmin ymax xmax class} prompt. */
  private static InstanceRequest instanceOf(int[] prompt) {
    double[] v = IntStream.rangeClosed(1, 4).mapToDouble(i -> vocab.coordValue(prompt[i])).toArray();
    return new InstanceRequest(
        new BoundingBox(v[1], v[0], v[3], v[2]), vocab.categoryOf(prompt[5]).id());
  }

  private static final Comparator<BoundingBox> BOX_ORDER =
      Comparator.comparingDouble(BoundingBox::xMin).thenComparingDouble(BoundingBox::yMin);

  private static void assertBoxNear(BoundingBox expected, BoundingBox actual, double tolerance) {
    assertEquals(expected.xMin(), actual.xMin(), tolerance, expected + " vs " + actual);
    assertEquals(expected.yMin(), actual.yMin(), tolerance, expected + " vs " + actual);
    assertEquals(expected.xMax(), actual.xMax(), tolerance, expected + " vs " + actual);
    assertEquals(expected.yMax(), actual.yMax(), tolerance, expected + " vs " + actual);
  }
}
