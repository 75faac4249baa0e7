package dev.pix2seq.runtime.predict;

import static dev.pix2seq.runtime.predict.PredictFixtures.CAR;
import static dev.pix2seq.runtime.predict.PredictFixtures.DOG;
import static dev.pix2seq.runtime.predict.PredictFixtures.INPUT_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.config.InferenceConfig;
import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Detection;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.data.augment.AnnotatedImage;
import dev.pix2seq.tasks.TaskContext;
import dev.pix2seq.tasks.TaskRegistry;
import dev.pix2seq.tasks.detect.DetectionCodec;
import dev.pix2seq.tasks.examples.DetectExampleBuilder;
import dev.pix2seq.tasks.examples.ExampleOptions;
import dev.pix2seq.tasks.examples.ModelInputs;
import dev.pix2seq.tokenizer.Vocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DetectPredictionTest {
  /** The largest quantisation error of a normalised coordinate, with a little slack. */
  static final double HALF_BIN = 0.501 / 999;

  private final Vocabulary vocab = PredictFixtures.vocabulary();
  private final TaskRegistry registry = PredictFixtures.registry();
  private final int eos = vocab.layout().eos();

  /** Tokens of one object whose box is given normalised. */
  private int[] object(double x0, double y0, double x1, double y1, int classToken) {
    return new int[] {
      vocab.coordToken(y0), vocab.coordToken(x0), vocab.coordToken(y1), vocab.coordToken(x1),
      classToken
    };
  }

  private static int[] concat(int[]... parts) {
    int n = 0;
    for (int[] p : parts) {
      n += p.length;
    }
    int[] all = new int[n];
    int at = 0;
    for (int[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }

  private Pix2seqPredictor predictor(ScriptedModel model, InferenceConfig config) {
    return Pix2seqPredictor.builder().setModel(model).setContext(TaskContext.of(vocab))
        .setRegistry(registry).optConfig(config)
        .optGenerator(new StepwiseGenerator(model.decoder(), eos)).build();
  }

  @Test
  void boxesComeBackInOriginalPixelsOfANonSquareImageWithClassTokenScores() {
    // 200 x 100 image: resized by 0.32 to 64 x 32, padded to 64 x 64; normalised = pixels / 200.
    int dog = vocab.classToken(DOG);
    int car = vocab.classToken(CAR);
    int[] response = concat(
        object(20 / 200.0, 10 / 200.0, 120 / 200.0, 60 / 200.0, dog),
        object(0.1, 0.1, 0.2, 0.2, vocab.layout().fake()),
        object(0.1, 0.7, 0.3, 0.9, car), // wholly in the grey padding below the image
        object(150 / 200.0, 50 / 200.0, 230 / 200.0, 90 / 200.0, car), // runs off the right edge
        new int[] {eos});
    // Class logit ln 12 among 3 used classes and FAKE (logit 0): probability 12 / 15 = 0.8.
    float classLogit = (float) Math.log(12);
    ScriptedModel model = new ScriptedModel(PredictFixtures.modelConfig(), vocab.size(),
        (image, tokens) -> {
          int t = tokens.length - 1;
          int token = t < response.length ? response[t] : eos;
          boolean classPosition = t % 5 == 4 && token != vocab.layout().fake() && token != eos;
          return new ScriptedModel.Forced(token, classPosition ? classLogit : 20f);
        });
    List<Detection> found =
        predictor(model, PredictFixtures.inference(8, 0))
            .detect(PredictFixtures.gradient(200, 100));

    assertEquals(2, found.size(), () -> "FAKE and padding objects are dropped: " + found);
    Detection d = found.get(0);
    assertEquals(DOG, d.categoryId());
    assertBox(new BoundingBox(20, 10, 120, 60), d.box(), 200 * HALF_BIN);
    assertEquals(0.8, d.score(), 1e-5);
    Detection clipped = found.get(1);
    assertEquals(CAR, clipped.categoryId());
    assertBox(new BoundingBox(150, 50, 200, 90), clipped.box(), 200 * HALF_BIN);
  }

  @Test
  void theModelSeesTheImageExactlyAsTrainingBuildsIt() {
    ScriptedModel model = new ScriptedModel(PredictFixtures.modelConfig(), vocab.size(),
        (image, tokens) -> ScriptedModel.Forced.certain(eos));
    ImageTensor image = PredictFixtures.gradient(200, 100);
    predictor(model, PredictFixtures.inference(8, 0)).detect(image);

    DetectExampleBuilder training = new DetectExampleBuilder(
        registry.codec("detect", TaskContext.of(vocab), DetectionCodec.class),
        new ModelInputs(ExampleOptions.plain(INPUT_SIZE), vocab.categories()));
    ImageTensor expected = training.build(AnnotatedImage.of(image, List.of(), List.of()),
        new SplittableRandom(3)).orElseThrow().image();
    ImageTensor seen = model.encodedImages().get(0);
    assertEquals(expected, seen);
    assertEquals(0.3f, seen.get(0, 40, 10), 1e-6, "bottom padded with 0.3 grey");
    assertEquals(List.of(vocab.taskToken("detect")),
        List.of(model.prompts.get(0)[0]), "prompt is [detect]");
    assertEquals(1, model.prompts.get(0).length);
  }

  @Test
  void imagesAreEncodedInBatchesAndEachKeepsItsOwnObjects() {
    // Image i is flat grey (i + 1) / 10 and holds one dog at x = 10 i .. 10 i + 20 (100 x 50).
    ScriptedModel model = new ScriptedModel(PredictFixtures.modelConfig(), vocab.size(),
        (image, tokens) -> {
          int i = Math.round(image.get(0, 0, 0) * 10) - 1;
          int[] response = concat(
              object(10 * i / 100.0, 5 / 100.0, (10 * i + 20) / 100.0, 25 / 100.0,
                  vocab.classToken(DOG)),
              new int[] {eos});
          int t = tokens.length - 1;
          return ScriptedModel.Forced.certain(t < response.length ? response[t] : eos);
        });
    List<ImageTensor> images = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      images.add(PredictFixtures.flat(100, 50, (i + 1) / 10f));
    }
    Pix2seqPredictor predictor = predictor(model, PredictFixtures.inference(2, 0));
    List<List<Detection>> all = predictor.detectAll(images);

    assertEquals(List.of(2, 2, 1), model.encodedBatches.stream().map(List::size).toList());
    assertEquals(5, all.size());
    for (int i = 0; i < 5; i++) {
      assertEquals(1, all.get(i).size(), "image " + i);
      assertBox(new BoundingBox(10 * i, 5, 10 * i + 20, 25), all.get(i).get(0).box(),
          100 * HALF_BIN);
    }
  }

  @Test
  void oneGeneratorCallPerEncoderBatch() {
    ScriptedModel model = new ScriptedModel(PredictFixtures.modelConfig(), vocab.size(),
        (image, tokens) -> ScriptedModel.Forced.certain(eos));
    StepwiseGenerator generator = new StepwiseGenerator(model.decoder(), eos);
    Pix2seqPredictor predictor = Pix2seqPredictor.builder().setModel(model)
        .setContext(TaskContext.of(vocab)).setRegistry(registry)
        .optConfig(PredictFixtures.inference(3, 0)).optGenerator(generator).build();
    List<List<Detection>> all =
        predictor.detectAll(List.of(PredictFixtures.flat(30, 40, 0.5f),
            PredictFixtures.flat(30, 40, 0.5f), PredictFixtures.flat(30, 40, 0.5f),
            PredictFixtures.flat(30, 40, 0.5f)));
    assertEquals(2, generator.calls.get());
    assertTrue(all.stream().allMatch(List::isEmpty));
  }

  @Test
  void samplingIsReproducibleFromTheSeed() {
    // Every logit 0: top-p sampling draws freely, so only the seed makes results repeat.
    ScriptedModel model = new ScriptedModel(PredictFixtures.modelConfig(), vocab.size(),
        (image, tokens) -> null);
    ImageTensor image = PredictFixtures.gradient(80, 60);
    List<Detection> first = predictor(model, PredictFixtures.inference(8, 7)).detect(image);
    List<Detection> again = predictor(model, PredictFixtures.inference(8, 7)).detect(image);
    List<Detection> other = predictor(model, PredictFixtures.inference(8, 8)).detect(image);
    assertTrue(!first.isEmpty());
    assertEquals(first, again);
    assertNotEquals(first, other);
  }

  @Test
  void builderRejectsMissingPartsAndAModelTooSmallForTheVocabulary() {
    ScriptedModel small = new ScriptedModel(PredictFixtures.modelConfig(), vocab.size() - 1,
        (image, tokens) -> null);
    IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class,
        () -> Pix2seqPredictor.of(small, TaskContext.of(vocab), registry,
            InferenceConfig.defaults()));
    assertTrue(tooSmall.getMessage().contains(String.valueOf(vocab.size())));
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> Pix2seqPredictor.builder().setContext(TaskContext.of(vocab)).build());
    assertTrue(missing.getMessage().contains("model, registry"), missing.getMessage());
  }

  static void assertBox(BoundingBox expected, BoundingBox actual, double tolerance) {
    assertEquals(expected.xMin(), actual.xMin(), tolerance, "xMin of " + actual);
    assertEquals(expected.yMin(), actual.yMin(), tolerance, "yMin of " + actual);
    assertEquals(expected.xMax(), actual.xMax(), tolerance, "xMax of " + actual);
    assertEquals(expected.yMax(), actual.yMax(), tolerance, "yMax of " + actual);
  }
}
