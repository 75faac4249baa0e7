package dev.pix2seq.runtime.predict;

import static dev.pix2seq.runtime.predict.DetectPredictionTest.HALF_BIN;
import static dev.pix2seq.runtime.predict.DetectPredictionTest.assertBox;
import static dev.pix2seq.runtime.predict.PredictFixtures.CAR;
import static dev.pix2seq.runtime.predict.PredictFixtures.PERSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.value.Keypoint;
import dev.pix2seq.tasks.TaskContext;
import dev.pix2seq.tokenizer.Vocabulary;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PredictAllTest {
  private final Vocabulary vocab = PredictFixtures.vocabulary();

  private Pix2seqPredictor predictor(ScriptedModel model) {
    return Pix2seqPredictor.builder().setModel(model).setContext(TaskContext.of(vocab))
        .setRegistry(PredictFixtures.registry()).optConfig(PredictFixtures.inference(4, 0))
        .optGenerator(new StepwiseGenerator(model.decoder(), vocab.layout().eos())).build();
  }

  @Test
  void everyTaskRunsOnTheDetectedObjects() {
    ScriptedModel model =
        new ScriptedModel(PredictFixtures.modelConfig(), vocab.size(), new SceneScript(vocab));
    ImagePredictions p = predictor(model).predict(42,
        PredictFixtures.gradient(SceneScript.WIDTH, SceneScript.HEIGHT),
        Pix2seqPredictor.BUILT_IN_TASKS);

    assertEquals(42, p.imageId());
    assertEquals(List.of(PERSON, CAR), p.detections().stream().map(d -> d.categoryId()).toList());
    assertBox(SceneScript.PERSON_BOX, p.detections().get(0).box(), 200 * HALF_BIN);
    assertBox(SceneScript.CAR_BOX, p.detections().get(1).box(), 200 * HALF_BIN);
    // The masks outline the prompt boxes: exactly their pixels.
    assertEquals(List.of(40L * 40, 40L * 30),
        p.masks().stream().map(m -> m.mask().area()).toList());
    // Keypoints only for the person (the car has no schema), in the middle of its box (within
    // a pixel: the crop window around the detected box is rounded outward to whole pixels).
    assertEquals(1, p.keypoints().size());
    assertEquals(PERSON, p.keypoints().get(0).instance().categoryId());
    for (Keypoint k : p.keypoints().get(0).keypoints().points()) {
      assertEquals(100, k.x(), 1);
      assertEquals(50, k.y(), 1);
    }
    assertEquals(SceneScript.CAPTION, p.captions().get(0).text());
    assertTrue(p.masks().stream().allMatch(m -> m.score() > 0.99));
  }

  @Test
  void tasksOnObjectsNeedDetection() {
    ScriptedModel model =
        new ScriptedModel(PredictFixtures.modelConfig(), vocab.size(), new SceneScript(vocab));
    Pix2seqPredictor predictor = predictor(model);
    assertThrows(IllegalArgumentException.class, () -> predictor.predict(1,
        PredictFixtures.flat(20, 20, 0.5f), Set.of("segment")));
    assertThrows(IllegalArgumentException.class, () -> predictor.predict(1,
        PredictFixtures.flat(20, 20, 0.5f), Set.of("count")));
    ImagePredictions captionOnly =
        predictor.predict(3, PredictFixtures.flat(20, 20, 0.5f), Set.of("describe"));
    assertTrue(captionOnly.detections().isEmpty());
    assertEquals(1, captionOnly.captions().size());
  }
}
