package dev.pix2seq.runtime.predict;

import static dev.pix2seq.runtime.predict.PredictFixtures.DOG;
import static dev.pix2seq.runtime.predict.PredictFixtures.PERSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.tasks.TaskContext;
import dev.pix2seq.tokenizer.Vocabulary;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Boxes an application gives the instance tasks: clipped to the image when they overlap it,
 * refused with one clear message, before any work, when they do not.
 */
class InstanceBoxesTest {
  private final Vocabulary vocab = PredictFixtures.vocabulary();
  private final ImageTensor image = PredictFixtures.gradient(128, 128);

  private ScriptedModel model() {
    // Every response ends at once.
    return new ScriptedModel(PredictFixtures.modelConfig(), vocab.size(),
        (img, tokens) -> ScriptedModel.Forced.certain(vocab.layout().eos()));
  }

  private Pix2seqPredictor predictor(ScriptedModel model) {
    return Pix2seqPredictor.of(model, TaskContext.of(vocab), PredictFixtures.registry(),
        PredictFixtures.inference(4, 0));
  }

  @Test
  void boxesOutsideTheImageAreRefusedBeforeAnyWork() {
    ScriptedModel model = model();
    Pix2seqPredictor predictor = predictor(model);
    ObjectInstance offImage = ObjectInstance.of(new BoundingBox(-80, -80, -10, -10), DOG);
    ObjectInstance beyond = ObjectInstance.of(new BoundingBox(200, 10, 1e6, 50), PERSON);

    IllegalArgumentException segment = assertThrows(IllegalArgumentException.class,
        () -> predictor.segment(image, List.of(offImage)));
    assertTrue(segment.getMessage().contains("x -80.0..-10.0")
        && segment.getMessage().contains("128x128"), segment.getMessage());
    IllegalArgumentException keypoints = assertThrows(IllegalArgumentException.class,
        () -> predictor.keypoints(image, List.of(ObjectInstance.of(
            new BoundingBox(10, 10, 20, 20), PERSON), beyond)));
    assertTrue(keypoints.getMessage().startsWith("object 1 of image 0"), keypoints.getMessage());
    assertEquals(0, model.encodedImages().size(), "nothing was prepared or encoded");
  }

  @Test
  void boxesThatOverlapTheImageAreClippedToIt() {
    Pix2seqPredictor predictor = predictor(model());
    ObjectInstance huge = new ObjectInstance(new BoundingBox(-1e6, 0, 20_000, 1e6), DOG, 0.5);
    ObjectInstance person = ObjectInstance.of(new BoundingBox(100, -30, 400, 60), PERSON);

    MaskPrediction mask = predictor.segment(image, List.of(huge)).get(0);
    KeypointPrediction points = predictor.keypoints(image, List.of(person)).get(0);

    assertEquals(new BoundingBox(0, 0, 128, 128), mask.instance().box());
    assertEquals(0.5, mask.instance().score());
    assertEquals(new BoundingBox(100, 0, 128, 60), points.instance().box());
    ObjectInstance everywhere = ObjectInstance.of(new BoundingBox(-1e6, -1e6, 1e6, 1e6), PERSON);
    assertEquals(new BoundingBox(0, 0, 128, 128),
        predictor.keypoints(image, List.of(everywhere)).get(0).instance().box(),
        "a box of +-1e6 is the image, not a crop of a million pixels");
  }
}
