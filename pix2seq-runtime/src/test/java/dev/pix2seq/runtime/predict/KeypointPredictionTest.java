package dev.pix2seq.runtime.predict;

import static dev.pix2seq.runtime.predict.PredictFixtures.CAR;
import static dev.pix2seq.runtime.predict.PredictFixtures.INPUT_SIZE;
import static dev.pix2seq.runtime.predict.PredictFixtures.PERSON;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.api.value.Keypoint;
import dev.pix2seq.api.value.Keypoints;
import dev.pix2seq.api.value.Visibility;
import dev.pix2seq.data.augment.AnnotatedImage;
import dev.pix2seq.data.augment.AnnotatedInstance;
import dev.pix2seq.tasks.TaskContext;
import dev.pix2seq.tasks.TaskRegistry;
import dev.pix2seq.tasks.examples.ExampleOptions;
import dev.pix2seq.tasks.examples.KeypointExampleBuilder;
import dev.pix2seq.tasks.examples.ModelInputs;
import dev.pix2seq.tasks.examples.TrainingExample;
import dev.pix2seq.tasks.keypoint.KeypointCodec;
import dev.pix2seq.tokenizer.Vocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeypointPredictionTest {
  private final Vocabulary vocab = PredictFixtures.vocabulary();
  private final TaskRegistry registry = PredictFixtures.registry();
  private final int eos = vocab.layout().eos();
  private final ImageTensor image = PredictFixtures.gradient(200, 100);

  private Pix2seqPredictor predictor(ScriptedModel model) {
    return Pix2seqPredictor.builder().setModel(model).setContext(TaskContext.of(vocab))
        .setRegistry(registry).optConfig(PredictFixtures.inference(8, 0))
        .optGenerator(new StepwiseGenerator(model.decoder(), eos)).build();
  }

  @Test
  void keypointsAreMappedBackFromTheContextCrop() {
    // Box 80..120 x 30..70: the crop is 60..140 x 10..90 (twice the box), 80 x 80 pixels,
    // resized to 64, so normalised = (pixel - crop origin) / 80.
    double[][] points = {{100, 50}, {85, 35}, {115, 65}, {100, 70}};
    int[] response = new int[2 * points.length + 1];
    for (int k = 0; k < points.length; k++) {
      response[2 * k] = vocab.coordToken((points[k][1] - 10) / 80);
      response[2 * k + 1] = vocab.coordToken((points[k][0] - 60) / 80);
    }
    response[response.length - 1] = eos;
    // Coordinate logit ln(3 * 999) among 1000 bins: probability 0.75 (INVISIBLE suppressed).
    float coordLogit = (float) Math.log(3 * 999);
    ScriptedModel model = new ScriptedModel(PredictFixtures.modelConfig(), vocab.size(),
        (img, tokens) -> {
          int t = tokens.length - 6;
          return new ScriptedModel.Forced(t < response.length ? response[t] : eos, coordLogit);
        });
    ObjectInstance person = new ObjectInstance(new BoundingBox(80, 30, 120, 70), PERSON, 0.8);
    List<KeypointPrediction> found = predictor(model).keypoints(image, List.of(person));

    assertEquals(1, found.size());
    assertEquals(person, found.get(0).instance());
    Keypoints kps = found.get(0).keypoints();
    assertEquals(4, kps.points().size());
    double tolerance = 80 * DetectPredictionTest.HALF_BIN;
    for (int k = 0; k < points.length; k++) {
      Keypoint p = kps.points().get(k);
      assertEquals(Visibility.VISIBLE, p.visibility());
      assertEquals(points[k][0], p.x(), tolerance, "x of keypoint " + k);
      assertEquals(points[k][1], p.y(), tolerance, "y of keypoint " + k);
      assertEquals(0.75, p.score(), 1e-5);
    }
    assertEquals(0.8 * 0.75, kps.score(), 1e-5);
  }

  @ParameterizedTest(name = "box {0},{1} .. {2},{3}")
  @CsvSource({"80, 30, 120, 70", "0, 50, 40, 100", "150, 0, 200, 30", "10, 5, 190, 95"})
  void promptAndCropAreThoseOfTraining(double x0, double y0, double x1, double y1) {
    BoundingBox box = new BoundingBox(x0, y0, x1, y1);
    ScriptedModel model = new ScriptedModel(PredictFixtures.modelConfig(), vocab.size(),
        (img, tokens) -> ScriptedModel.Forced.certain(vocab.coordToken(0.5)));
    predictor(model).keypoints(image, List.of(ObjectInstance.of(box, PERSON)));

    List<Keypoint> labeled = new ArrayList<>();
    for (int k = 0; k < 4; k++) {
      labeled.add(new Keypoint(box.centerX(), box.centerY(), Visibility.VISIBLE, 1));
    }
    AnnotatedInstance annotated =
        AnnotatedInstance.of(4, PERSON, box, List.of(), new Keypoints(labeled, 1));
    KeypointExampleBuilder training = new KeypointExampleBuilder(
        registry.codec("keypoint", TaskContext.of(vocab), KeypointCodec.class),
        new ModelInputs(ExampleOptions.plain(INPUT_SIZE), vocab.categories()));
    TrainingExample example = training.build(
        AnnotatedImage.of(image, List.of(annotated), List.of()), new SplittableRandom(1))
        .orElseThrow();
    assertArrayEquals(example.sequence().prompt(), model.prompts.get(0));
    assertEquals(example.image(), model.encodedImages().get(0));
  }

  @Test
  void everyInstanceGetsItsOwnInputAndResultsKeepTheirOrder() {
    ScriptedModel model = new ScriptedModel(PredictFixtures.modelConfig(), vocab.size(),
        (img, tokens) -> ScriptedModel.Forced.certain(vocab.coordToken(0.5)));
    List<ObjectInstance> people = List.of(
        ObjectInstance.of(new BoundingBox(10, 20, 50, 60), PERSON),
        ObjectInstance.of(new BoundingBox(120, 20, 180, 80), PERSON));
    List<List<KeypointPrediction>> all = predictor(model).keypointsAll(
        List.of(image, image), List.of(people, List.of(people.get(1))));
    assertEquals(3, model.encodedImages().size());
    assertEquals(List.of(2, 1), all.stream().map(List::size).toList());
    // Square boxes give square crops: the middle of the input is the middle of the box.
    assertEquals(30, all.get(0).get(0).keypoints().points().get(0).x(), 0.1);
    assertEquals(40, all.get(0).get(0).keypoints().points().get(0).y(), 0.1);
    assertEquals(150, all.get(0).get(1).keypoints().points().get(0).x(), 0.1);
    assertEquals(all.get(0).get(1), all.get(1).get(0));
  }

  @Test
  void aCategoryWithoutKeypointSchemaIsRejected() {
    ScriptedModel model = new ScriptedModel(PredictFixtures.modelConfig(), vocab.size(),
        (img, tokens) -> null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> predictor(model).keypoints(image,
            List.of(ObjectInstance.of(new BoundingBox(1, 1, 20, 20), CAR))));
    assertEquals(true, e.getMessage().contains("no keypoint schema"), e.getMessage());
  }
}
