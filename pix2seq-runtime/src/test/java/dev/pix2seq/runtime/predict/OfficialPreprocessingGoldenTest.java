package dev.pix2seq.runtime.predict;

import static dev.pix2seq.runtime.predict.DetectPredictionTest.assertBox;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pix2seq.api.checkpoint.Npy;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.config.NetworkVariant;
import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Detection;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.api.value.Point;
import dev.pix2seq.data.image.ImageFiles;
import dev.pix2seq.tasks.TaskContext;
import dev.pix2seq.tokenizer.Vocabulary;
import java.awt.image.BufferedImage;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Prediction for an {@link NetworkVariant#OFFICIAL official} network prepares images exactly as
 * the official Pix2seq evaluation pipeline. The golden case ({@code official-golden/small/
 * preprocess*}, written by {@code tools/official-golden/make_golden.py} with the official code)
 * holds two uint8 images (50 x 30 and 31 x 77, height x width) and the official model input of
 * each at image size 64 (decode, {@code resize_image}, {@code pad_image_to_max_size}). The
 * images go in as 8-bit pixels through {@link ImageFiles#toTensor} and the predictor's own
 * preparer, as {@code pix2seq predict} feeds them. Measured: max abs difference 0 (the inputs
 * are bitwise the official ones); the tolerance asked for is 1e-5.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OfficialPreprocessingGoldenTest {
  private static final float TOLERANCE = 1e-5f;
  private static final int SIZE = 64;

  private final ModelInputPreparer official =
      new ModelInputPreparer(SIZE, PredictFixtures.categories(), NetworkVariant.OFFICIAL);
  private JsonNode doc;
  private List<ImageTensor> expected;

  @BeforeAll
  void readGolden() throws Exception {
    doc = new ObjectMapper().readTree(golden("preprocess.json").toFile());
    Npy.Array outputs = Npy.read(golden("preprocess-outputs.npy"));
    int[] shape = outputs.shape();
    assertEquals(List.of(2, SIZE, SIZE, 3), List.of(shape[0], shape[1], shape[2], shape[3]));
    expected = ImageTensor.fromChannelsLast(outputs.floats(), 2, SIZE, SIZE, 3);
  }

  private static Path golden(String name) throws URISyntaxException {
    return Path.of(OfficialPreprocessingGoldenTest.class
        .getResource("/official-golden/small/" + name).toURI());
  }

  /** The golden uint8 image of a case as an 8-bit RGB image. */
  private BufferedImage input(int index) throws Exception {
    JsonNode c = doc.get("cases").get(index);
    Npy.Array a = Npy.read(golden(c.get("input_file").asText()));
    int[] shape = a.shape();
    int[] v = a.ints("preprocess input " + index);
    BufferedImage img = new BufferedImage(shape[1], shape[0], BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < shape[0]; y++) {
      for (int x = 0; x < shape[1]; x++) {
        int i = (y * shape[1] + x) * 3;
        img.setRGB(x, y, (v[i] << 16) | (v[i + 1] << 8) | v[i + 2]);
      }
    }
    return img;
  }

  private static ModelConfig officialConfig() {
    return new ModelConfig(ModelConfig.CURRENT_VERSION, "test", SIZE, 16, false, 1, 32, 2, 64,
        1, 32, 2, 64, 320, 0, 0, 1e-6, NetworkVariant.OFFICIAL);
  }

  private static float maxDifference(ImageTensor a, ImageTensor b) {
    float max = 0;
    for (int i = 0; i < a.pixels().length; i++) {
      max = Math.max(max, Math.abs(a.pixels()[i] - b.pixels()[i]));
    }
    return max;
  }

  @ParameterizedTest(name = "case {0}")
  @ValueSource(ints = {0, 1})
  void theModelInputIsTheOfficialOne(int index) throws Exception {
    ModelInput input = official.whole(ImageFiles.toTensor(input(index)));
    ImageTensor want = expected.get(doc.get("cases").get(index).get("output_index").asInt());
    assertEquals(SIZE, input.side());
    float diff = maxDifference(want, input.image());
    assertTrue(diff <= TOLERANCE, "max abs difference " + diff);
  }

  @ParameterizedTest(name = "case {0}")
  @ValueSource(ints = {0, 1})
  void theModelInputIsTheOfficialOneBitForBit(int index) throws Exception {
    ModelInput input = official.whole(ImageFiles.toTensor(input(index)));
    ImageTensor want = expected.get(doc.get("cases").get(index).get("output_index").asInt());
    assertEquals(want, input.image());
  }

  @ParameterizedTest(name = "case {0}")
  @ValueSource(ints = {0, 1})
  void aPredictorOfAnOfficialModelPreparesTheOfficialInput(int index) throws Exception {
    Vocabulary vocab = PredictFixtures.officialVocabulary();
    ImageTensor tensor = ImageFiles.toTensor(input(index));
    ImageTensor want = expected.get(doc.get("cases").get(index).get("output_index").asInt());
    Pix2seqPredictor officialPredictor = predictor(officialConfig(), vocab);
    assertEquals(want, officialPredictor.prepare(tensor).image());
    Pix2seqPredictor ours = predictor(PredictFixtures.modelConfig(), vocab);
    assertNotEquals(want, ours.prepare(tensor).image(),
        "the default network keeps its own preprocessing");
    assertEquals(new ModelInputPreparer(SIZE, PredictFixtures.categories()).whole(tensor),
        ours.prepare(tensor));
  }

  @ParameterizedTest(name = "case {0}")
  @ValueSource(ints = {0, 1})
  void boxesMapBackThroughTheRoundedResizedSize(int index) throws Exception {
    JsonNode c = doc.get("cases").get(index);
    JsonNode example = c.get("example_box_mapping_back");
    int h = c.get("orig_image_size").get(0).asInt();
    int w = c.get("orig_image_size").get(1).asInt();
    int newH = c.get("unpadded_image_size").get(0).asInt();
    int newW = c.get("unpadded_image_size").get(1).asInt();
    ModelInput input = official.whole(ImageFiles.toTensor(input(index)));
    JsonNode n = example.get("box_normalised_yxyx");
    JsonNode p = example.get("box_in_original_pixels_yxyx");
    BoundingBox mapped = input.toSource(new BoundingBox(
        n.get(1).asDouble(), n.get(0).asDouble(), n.get(3).asDouble(), n.get(2).asDouble()));
    assertBox(new BoundingBox(p.get(1).asDouble(), p.get(0).asDouble(), p.get(3).asDouble(),
        p.get(2).asDouble()), mapped, 1e-9);
    // y * S * h / newH and x * S * w / newW, not y / s and x / s with the unrounded scale
    // s = min(S / h, S / w); on the shorter side the two differ by more than 0.1 pixel here
    double s = Math.min((double) SIZE / h, (double) SIZE / w);
    assertEquals(n.get(0).asDouble() * SIZE * h / newH, mapped.yMin(), 1e-9);
    assertEquals(n.get(1).asDouble() * SIZE * w / newW, mapped.xMin(), 1e-9);
    double shortSide = h < w ? mapped.yMin() : mapped.xMin();
    double viaScale = (h < w ? n.get(0) : n.get(1)).asDouble() * SIZE / s;
    assertTrue(Math.abs(viaScale - shortSide) > 0.1,
        "rounded size " + shortSide + " vs float scale " + viaScale);
  }

  @ParameterizedTest(name = "case {0}")
  @ValueSource(ints = {0, 1})
  void detectionsComeBackInSourcePixelsAsTheOfficialPostProcessingMapsThem(int index)
      throws Exception {
    Vocabulary vocab = PredictFixtures.officialVocabulary();
    int eos = vocab.layout().eos();
    JsonNode c = doc.get("cases").get(index);
    int h = c.get("orig_image_size").get(0).asInt();
    int w = c.get("orig_image_size").get(1).asInt();
    int newH = c.get("unpadded_image_size").get(0).asInt();
    int newW = c.get("unpadded_image_size").get(1).asInt();
    // Bin-exact normalised coordinates inside the resized image.
    int[] bins = {100, 50, 300, 200}; // y0, x0, y1, x1
    int[] response = {vocab.coordToken(bins[0] / 999.0), vocab.coordToken(bins[1] / 999.0),
        vocab.coordToken(bins[2] / 999.0), vocab.coordToken(bins[3] / 999.0),
        vocab.classToken(PredictFixtures.DOG), eos};
    ScriptedModel model = new ScriptedModel(officialConfig(), vocab.size(),
        (image, tokens) -> ScriptedModel.Forced.certain(
            tokens.length - 1 < response.length ? response[tokens.length - 1] : eos));
    List<Detection> found = Pix2seqPredictor.builder().setModel(model)
        .setContext(TaskContext.of(vocab)).setRegistry(PredictFixtures.registry())
        .optConfig(PredictFixtures.inference(8, 0))
        .optGenerator(new StepwiseGenerator(model.decoder(), eos)).build()
        .detect(ImageFiles.toTensor(input(index)));
    assertEquals(1, found.size());
    double fx = (double) SIZE * w / newW;
    double fy = (double) SIZE * h / newH;
    // The official decoding dequantises in float32: bin / 999f.
    assertBox(new BoundingBox(bins[1] / 999f * fx, bins[0] / 999f * fy,
        bins[3] / 999f * fx, bins[2] / 999f * fy), found.get(0).box(), 1e-9);
    assertEquals(expected.get(c.get("output_index").asInt()), model.encodedImages().get(0));
  }

  @Test
  void theKeypointInputIsTheOfficialCropResizedAndPadded() {
    ImageTensor image = PredictFixtures.gradient(200, 100);
    BoundingBox box = new BoundingBox(80, 30, 120, 70);
    ModelInput input = official.keypointContext(image, box);
    // The official crop_to_bbox window: columns 58..141, rows 8..91 (84 x 84), shrunk to 64.
    assertEquals(new Point(58, 8), input.toSource(new Point(0, 0)));
    assertEquals(100, input.toSource(new Point(0.5, 0.5)).x(), 1e-9);
    assertEquals(50, input.toSource(new Point(0.5, 0.5)).y(), 1e-9);
    assertBox(box, input.toSource(input.normalise(box)), 1e-9);
  }

  private static Pix2seqPredictor predictor(ModelConfig config, Vocabulary vocab) {
    ScriptedModel model = new ScriptedModel(config, vocab.size(),
        (image, tokens) -> ScriptedModel.Forced.certain(vocab.layout().eos()));
    return Pix2seqPredictor.builder().setModel(model).setContext(TaskContext.of(vocab))
        .setRegistry(PredictFixtures.registry()).optConfig(PredictFixtures.inference(8, 0))
        .build();
  }
}
