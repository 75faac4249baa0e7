package dev.pix2seq.runtime.predict;

import static dev.pix2seq.runtime.predict.PredictFixtures.CAR;
import static dev.pix2seq.runtime.predict.PredictFixtures.PERSON;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.config.NetworkVariant;
import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Detection;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.api.value.Keypoint;
import dev.pix2seq.api.value.Visibility;
import dev.pix2seq.tasks.TaskContext;
import dev.pix2seq.tokenizer.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The predictor's official path for an official network, on a scripted model whose answers
 * are certain (one token at logit 20), so that the official sampler's draws are known: which
 * prompts it sends, how many responses it samples, and what it makes of them.
 */
class OfficialPredictionTest {
  private static final int SIDE = PredictFixtures.INPUT_SIZE;
  private final Vocabulary vocab = PredictFixtures.officialVocabulary();

  private Pix2seqPredictor predictor(ScriptedModel model) {
    return Pix2seqPredictor.builder().setModel(model).setContext(TaskContext.of(vocab))
        .setRegistry(PredictFixtures.registry()).optConfig(PredictFixtures.inference(4, 0))
        .build();
  }

  private ScriptedModel model(NetworkVariant network, ScriptedModel.Script script) {
    // The fixtures' tiny architecture without the convolutional stem, which the official
    // network does not have.
    ModelConfig config = new ModelConfig(ModelConfig.CURRENT_VERSION, "test", SIDE, 16, false, 1,
        32, 2, 64, 1, 32, 2, 64, 320, 0, 0, 1e-6);
    return new ScriptedModel(config.withNetwork(network), vocab.size(), script);
  }

  /** Answers an instance prompt with its own box corners as one polygon, then padding. */
  private static ScriptedModel.Forced outlineOfThePromptBox(ImageTensor image, int[] tokens) {
    int step = tokens.length - 6;
    int[] y0x0y1x1 = Arrays.copyOfRange(tokens, 1, 5);
    int[] polygon = {y0x0y1x1[0], y0x0y1x1[1], y0x0y1x1[0], y0x0y1x1[3], y0x0y1x1[2],
        y0x0y1x1[3], y0x0y1x1[2], y0x0y1x1[1]};
    return ScriptedModel.Forced.certain(step < polygon.length ? polygon[step] : 0);
  }

  @Test
  void segmentationSamplesEightResponsesPerBoxAndVotesTheirPolygons() {
    ScriptedModel model =
        model(NetworkVariant.OFFICIAL, OfficialPredictionTest::outlineOfThePromptBox);
    ObjectInstance car = new ObjectInstance(new BoundingBox(16, 8, 48, 40), CAR, 0.6);

    List<MaskPrediction> masks =
        predictor(model).segment(PredictFixtures.gradient(SIDE, SIDE), List.of(car));

    // y 8/64 = 0.125 -> round(124.875) = 125, x 0.25 -> 250, y 0.625 -> 624, x 0.75 -> 749.
    int[] prompt = {11, 1125, 1250, 1624, 1749, 100 + CAR};
    assertEquals(OfficialSegmentation.SAMPLES, model.prompts.size());
    for (int[] p : model.prompts) {
      assertArrayEquals(prompt, p);
    }
    MaskPrediction mask = masks.get(0);
    assertEquals(0.6, mask.score(), 0, "the official mask score is the box's");
    assertEquals(SIDE, mask.mask().height());
    assertTrue(Math.abs(mask.mask().area() - 32 * 32) <= 2 * 32,
        "the box's pixels, as pycocotools rasterises its outline: " + mask.mask().area());
  }

  @Test
  void anOfficialPromptNamesAnyClassTheOfficialDetectionCanName() {
    ScriptedModel model =
        model(NetworkVariant.OFFICIAL, OfficialPredictionTest::outlineOfThePromptBox);
    ObjectInstance unlisted = new ObjectInstance(new BoundingBox(16, 8, 48, 40), 500, 0.2);

    predictor(model).segment(PredictFixtures.gradient(SIDE, SIDE), List.of(unlisted));

    assertEquals(vocab.layout().classBase() + 500, model.prompts.get(0)[5]);
  }

  @Test
  void keypointsAreReadInTheOfficialCropAndScoredByTheirTokens() {
    // Every keypoint at the prompt box's centre: (y0 + y1) / 2, (x0 + x1) / 2 in tokens.
    ScriptedModel model = model(NetworkVariant.OFFICIAL, (image, tokens) -> {
      int step = tokens.length - 6;
      int centre = step % 2 == 0 ? (tokens[1] + tokens[3]) / 2 : (tokens[2] + tokens[4]) / 2;
      return ScriptedModel.Forced.certain(centre);
    });
    ObjectInstance person = new ObjectInstance(new BoundingBox(20, 10, 40, 50), PERSON, 0.3);

    KeypointPrediction found = predictor(model)
        .keypoints(PredictFixtures.gradient(SIDE, SIDE), List.of(person)).get(0);

    assertEquals(1, model.prompts.size(), "one response, no samples");
    assertEquals(12, model.prompts.get(0)[0]);
    List<Keypoint> points = found.keypoints().points();
    assertEquals(PredictFixtures.PERSON_SCHEMA.size(), points.size());
    for (Keypoint k : points) {
      assertEquals(Visibility.VISIBLE, k.visibility());
      assertEquals(30, k.x(), 1, "the box centre, through the crop and back");
      assertEquals(30, k.y(), 1);
    }
    assertTrue(found.keypoints().score() > 0.99,
        "the mean token probability, not the box's 0.3: " + found.keypoints().score());
  }

  @Test
  void anOfficialModelNeedsClassTokensAtTheBasePlusTheCategoryId() {
    ScriptedModel model = model(NetworkVariant.OFFICIAL, (i, t) -> null);
    Vocabulary packed = PredictFixtures.vocabulary();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Pix2seqPredictor.builder().setModel(model).setContext(TaskContext.of(packed))
            .setRegistry(PredictFixtures.registry()).build());
    assertTrue(e.getMessage().contains("category 1 token 100"), e.getMessage());
  }

  @Test
  void officialModelsAskInstanceTasksAboutTheTenBestScoredDetections() {
    List<Detection> detections = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      detections.add(new Detection(new BoundingBox(i, i, i + 10, i + 10),
          i % 2 == 0 ? PERSON : CAR, (i * 7 % 15) / 15.0));
    }
    Pix2seqPredictor official = predictor(model(NetworkVariant.OFFICIAL, (i, t) -> null));
    Pix2seqPredictor ours = predictor(model(NetworkVariant.PIX2SEQ_JAVA, (i, t) -> null));

    List<ObjectInstance> segment = official.instancesFor("segment", detections);
    assertEquals(10, segment.size());
    for (int k = 1; k < segment.size(); k++) {
      assertTrue(segment.get(k - 1).score() >= segment.get(k).score(), "best first");
    }
    assertEquals(14 / 15.0, segment.get(0).score(), 1e-12);
    List<ObjectInstance> people = official.instancesFor("keypoint", detections);
    assertEquals(8, people.size(), "only categories with a keypoint schema");
    assertTrue(people.stream().allMatch(o -> o.categoryId() == PERSON));

    assertEquals(15, ours.instancesFor("segment", detections).size(), "every detection");
    assertEquals(ObjectInstance.of(detections), ours.instancesFor("segment", detections));
  }
}
