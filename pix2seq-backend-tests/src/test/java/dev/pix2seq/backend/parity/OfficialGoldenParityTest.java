package dev.pix2seq.backend.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pix2seq.api.checkpoint.Npy;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.InferenceConfig;
import dev.pix2seq.api.model.DecodingSession;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.sampling.LogitMath;
import dev.pix2seq.api.value.Caption;
import dev.pix2seq.api.value.Detection;
import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.api.value.Keypoints;
import dev.pix2seq.backend.Engines;
import dev.pix2seq.official.OfficialImport;
import dev.pix2seq.official.OfficialRunConfig;
import dev.pix2seq.runtime.checkpoint.Checkpoint;
import dev.pix2seq.runtime.checkpoint.LoadedCheckpoint;
import dev.pix2seq.runtime.predict.KeypointPrediction;
import dev.pix2seq.runtime.predict.MaskPrediction;
import dev.pix2seq.runtime.predict.ObjectInstance;
import dev.pix2seq.runtime.predict.Pix2seqPredictor;
import dev.pix2seq.tasks.TaskRegistry;
import dev.pix2seq.tokenizer.SentencePieceTokenizer;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official Pix2seq code's own numbers, reproduced by an imported checkpoint on both
 * backends. The golden case ({@code official-golden/small}, written by {@code
 * tools/official-golden/make_golden.py} from the official repository with random weights) holds
 * a checkpoint in the released layout, its {@code config.json}, preprocessed images, token rows,
 * the official model's teacher-forced logits and greedy decodes of one prompt per task. Another
 * case made by the same script (say with another seed) is checked with {@code
 * -Dpix2seq.official.golden=DIR}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OfficialGoldenParityTest {

  /** Logits agree with the official code within this (absolute; the logits reach about 10). */
  private static final float TOLERANCE = 1e-4f;

  /** System property naming another golden case directory. */
  static final String GOLDEN_DIR = "pix2seq.official.golden";

  private final Engines engines = new Engines();
  private Path golden;
  private Path imported;

  @BeforeAll
  void importGolden(@TempDir Path tmp) throws Exception {
    golden = goldenDir();
    imported = tmp.resolve("run");
    OfficialImport.builder()
        .setCheckpoint(golden.resolve("ckpt-1"))
        .setRunConfig(OfficialRunConfig.read(golden.resolve("config.json")))
        .optTextTokenizer(SentencePieceTokenizer.open(golden.resolve("spm.model")))
        .build()
        .writeTo(imported);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"djl", "tf"})
  void teacherForcedLogitsEqualTheOfficialModel(String backend) throws Exception {
    Npy.Array images = Npy.read(golden.resolve("images.npy"));
    Npy.Array tokenArray = Npy.read(golden.resolve("tokens.npy"));
    Npy.Array expected = Npy.read(golden.resolve("logits.npy"));
    int n = tokenArray.shape()[0];
    int length = tokenArray.shape()[1];
    int[] flat = tokenArray.ints("tokens.npy");
    int[][] rows = new int[n][];
    for (int i = 0; i < n; i++) {
      rows[i] = Arrays.copyOfRange(flat, i * length, (i + 1) * length);
    }
    float[] want = expected.floats();
    try (LoadedCheckpoint ckpt = Checkpoint.load(imported, engines.require(backend), Device.CPU)) {
      Pix2seqModel model = ckpt.model();
      int vocab = model.vocabSize();
      assertEquals(expected.shape()[2], vocab);
      int[] imageOfRow = new int[n];
      Arrays.setAll(imageOfRow, i -> i);
      float[][][] logits;
      try (ImageFeatures features = model.encoder().encode(channelsFirst(images))) {
        logits = model.decoder().logits(features, imageOfRow, rows);
      }
      float worst = 0;
      for (int i = 0; i < n; i++) {
        for (int t = 0; t < length; t++) {
          for (int v = 0; v < vocab; v++) {
            worst = Math.max(worst,
                Math.abs(logits[i][t][v] - want[(i * length + t) * vocab + v]));
          }
        }
      }
      assertTrue(worst <= TOLERANCE, backend + ": logits differ from the official code's by "
          + worst + " (tolerance " + TOLERANCE + ")");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"djl", "tf"})
  void greedyDecodingEqualsTheOfficialModelForEveryTaskPrompt(String backend) throws Exception {
    JsonNode cases = new ObjectMapper().readTree(golden.resolve("greedy.json").toFile());
    Npy.Array images = Npy.read(golden.resolve("images.npy"));
    List<String> tasks = new ArrayList<>();
    try (LoadedCheckpoint ckpt = Checkpoint.load(imported, engines.require(backend), Device.CPU);
        ImageFeatures features = ckpt.model().encoder().encode(channelsFirst(images))) {
      for (JsonNode c : cases) {
        String label = backend + " " + c.get("task").asText() + " image " + c.get("image");
        int[] prompt = ints(c.get("prompt"));
        int[] generated = ints(c.get("generated"));
        JsonNode maxLogits = c.get("max_logit");
        try (DecodingSession session =
            ckpt.model().decoder().open(features, new int[] {c.get("image").asInt()})) {
          float[] next = session.feed(new int[][] {prompt})[0];
          for (int step = 0; step < generated.length; step++) {
            int best = LogitMath.argmax(next);
            assertEquals(generated[step], best, label + ": token " + step);
            assertEquals(maxLogits.get(step).floatValue(), next[best], TOLERANCE,
                label + ": max logit at step " + step);
            if (step + 1 < generated.length) {
              next = session.feed(new int[][] {{best}})[0];
            }
          }
        }
        tasks.add(c.get("task").asText());
      }
    }
    assertTrue(tasks.containsAll(List.of("object_detection", "instance_segmentation",
        "keypoint_detection", "captioning")), "golden cases cover every task: " + tasks);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"djl", "tf"})
  void detectionDecodesEveryOfficialSlot(String backend) throws Exception {
    Npy.Array images = Npy.read(golden.resolve("images.npy"));
    ImageTensor image = channelsFirst(images).get(0);
    try (LoadedCheckpoint ckpt = Checkpoint.load(imported, engines.require(backend), Device.CPU)) {
      Pix2seqPredictor predictor = Pix2seqPredictor.of(ckpt.model(), ckpt.context(),
          TaskRegistry.discover(getClass().getClassLoader()), InferenceConfig.defaults());
      List<Detection> found = predictor.detect(image);
      int slots = (ckpt.model().decoder().maxSequenceLength() - 1) / 5;
      assertTrue(!found.isEmpty() && found.size() <= slots,
          backend + ": one detection per slot of class > 0, " + slots + " slots, found "
              + found.size());
      for (Detection d : found) {
        assertTrue(d.categoryId() > 0 && d.categoryId() < 900, "a class token: " + d);
        assertTrue(d.score() > 0 && d.score() <= 1, "a probability: " + d);
      }
      assertEquals(found, predictor.detect(image), "the same seed samples the same objects");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"djl", "tf"})
  void captionsAreSampledAndDecodedAsTheOfficialCodeDoes(String backend) throws Exception {
    ImageTensor image = channelsFirst(Npy.read(golden.resolve("images.npy"))).get(1);
    try (LoadedCheckpoint ckpt = Checkpoint.load(imported, engines.require(backend), Device.CPU)) {
      Pix2seqPredictor predictor = Pix2seqPredictor.of(ckpt.model(), ckpt.context(),
          TaskRegistry.discover(getClass().getClassLoader()), InferenceConfig.defaults());
      Caption caption = predictor.describe(image);
      assertTrue(!caption.text().isBlank(), backend + ": a random model still writes text");
      assertTrue(caption.score() > 0 && caption.score() <= 1, caption.toString());
      assertEquals(caption, predictor.describe(image), "the same seed samples the same caption");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"djl", "tf"})
  void masksAndKeypointsAreDecodedAsTheOfficialCodeDoes(String backend) throws Exception {
    ImageTensor image = channelsFirst(Npy.read(golden.resolve("images.npy"))).get(0);
    int w = image.width();
    int h = image.height();
    ObjectInstance person =
        new ObjectInstance(new BoundingBox(0.2 * w, 0.1 * h, 0.7 * w, 0.9 * h), 1, 0.7);
    ObjectInstance car = new ObjectInstance(new BoundingBox(0, 0.5 * h, w, h), 3, 0.4);
    try (LoadedCheckpoint ckpt = Checkpoint.load(imported, engines.require(backend), Device.CPU)) {
      Pix2seqPredictor predictor = Pix2seqPredictor.of(ckpt.model(), ckpt.context(),
          TaskRegistry.discover(getClass().getClassLoader()), InferenceConfig.defaults());
      List<MaskPrediction> masks = predictor.segment(image, List.of(person, car));
      assertEquals(2, masks.size());
      for (MaskPrediction m : masks) {
        assertEquals(h, m.mask().height(), backend);
        assertEquals(w, m.mask().width(), backend);
        assertEquals(m.instance().score(), m.score(), 0, "the official mask score is the box's");
      }
      assertEquals(masks, predictor.segment(image, List.of(person, car)), "same seed, same masks");

      List<KeypointPrediction> people = predictor.keypoints(image, List.of(person));
      Keypoints points = people.get(0).keypoints();
      assertEquals(17, points.points().size(), backend);
      assertTrue(points.score() >= 0 && points.score() <= 1, "a mean probability: " + points);
      assertEquals(people, predictor.keypoints(image, List.of(person)), "same seed, same points");

      Detection named = predictor.classify(image, List.of(person.box())).get(0);
      assertTrue(named.categoryId() > 0 && named.categoryId() < 900, "a class token: " + named);
      assertTrue(named.score() > 0 && named.score() <= 1, named.toString());
    }
  }

  private static Path goldenDir() throws URISyntaxException {
    String override = System.getProperty(GOLDEN_DIR);
    if (override != null && !override.isBlank()) {
      Path dir = Path.of(override);
      assertTrue(Files.isDirectory(dir), GOLDEN_DIR + " names no directory: " + dir);
      return dir;
    }
    return Path.of(OfficialGoldenParityTest.class.getResource("/official-golden/small/config.json")
        .toURI()).getParent();
  }

  /** NHWC float images to one channels-first tensor per image. */
  static List<ImageTensor> channelsFirst(Npy.Array images) {
    int[] shape = images.shape();
    return ImageTensor.fromChannelsLast(images.floats(), shape[0], shape[1], shape[2], shape[3]);
  }

  private static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asInt();
    }
    return out;
  }
}
