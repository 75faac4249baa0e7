package dev.pix2seq.runtime.predict;

import static dev.pix2seq.runtime.predict.PredictFixtures.DOG;
import static dev.pix2seq.runtime.predict.PredictFixtures.INPUT_SIZE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.generation.GenerationRequest;
import dev.pix2seq.api.sampling.SamplerSpec;
import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.api.value.Polygon;
import dev.pix2seq.api.value.RleMask;
import dev.pix2seq.api.value.TokenSequence;
import dev.pix2seq.data.augment.AnnotatedImage;
import dev.pix2seq.data.augment.AnnotatedInstance;
import dev.pix2seq.tasks.TaskContext;
import dev.pix2seq.tasks.TaskRegistry;
import dev.pix2seq.tasks.examples.ExampleOptions;
import dev.pix2seq.tasks.examples.ModelInputs;
import dev.pix2seq.tasks.examples.SegmentExampleBuilder;
import dev.pix2seq.tasks.examples.TrainingExample;
import dev.pix2seq.tasks.segment.SegmentationCodec;
import dev.pix2seq.tokenizer.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SegmentPredictionTest {
  private final Vocabulary vocab = PredictFixtures.vocabulary();
  private final TaskRegistry registry = PredictFixtures.registry();
  private final ImageTensor image = PredictFixtures.gradient(200, 100);
  private final ObjectInstance dog =
      new ObjectInstance(new BoundingBox(20, 10, 120, 60), DOG, 0.9);

  /** A rectangle polygon response, given in pixels of the 200 x 100 image (normalised / 200). */
  private TokenSequence rectangle(double x0, double y0, double x1, double y1) {
    double[][] corners = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
    int[] tokens = new int[9];
    for (int i = 0; i < 4; i++) {
      tokens[2 * i] = vocab.coordToken(corners[i][1] / 200);
      tokens[2 * i + 1] = vocab.coordToken(corners[i][0] / 200);
    }
    tokens[8] = vocab.layout().eos();
    float[] logProbs = new float[9];
    Arrays.fill(logProbs, (float) Math.log(0.5));
    return new TokenSequence(tokens, logProbs);
  }

  private Pix2seqPredictor predictor(ScriptedModel model, CannedGenerator generator, int batch) {
    return Pix2seqPredictor.builder().setModel(model).setContext(TaskContext.of(vocab))
        .setRegistry(registry).optConfig(PredictFixtures.inference(batch, 0))
        .optGenerator(generator).build();
  }

  private ScriptedModel model() {
    return new ScriptedModel(PredictFixtures.modelConfig(), vocab.size(), (img, t) -> null);
  }

  private List<TokenSequence> samples(int wide, int narrow) {
    List<TokenSequence> out = new ArrayList<>();
    for (int i = 0; i < wide; i++) {
      out.add(rectangle(20, 10, 120, 60));
    }
    for (int i = 0; i < narrow; i++) {
      out.add(rectangle(20, 10, 60, 60));
    }
    return out;
  }

  @Test
  void eightSamplesAreVotedAtTheOriginalResolution() {
    CannedGenerator generator = new CannedGenerator(samples(3, 5));
    List<MaskPrediction> masks = predictor(model(), generator, 8).segment(image, List.of(dog));

    assertEquals(1, masks.size());
    RleMask mask = masks.get(0).mask();
    assertEquals(100, mask.height());
    assertEquals(200, mask.width());
    // The narrow rectangle has 8 of 8 votes, the rest of the wide one 3 of 8: only the narrow
    // one (40 x 50 pixels) is kept.
    assertEquals(40 * 50, mask.area());
    boolean[][] px = pixels(mask);
    assertTrue(px[10][20] && px[59][59]);
    assertTrue(!px[9][20] && !px[10][19] && !px[60][30] && !px[30][60]);
    assertEquals(0.9 * 0.5, masks.get(0).score(), 1e-6);
    assertEquals(8, generator.calls.get(0).size(), "segmentationSamples requests per instance");
    assertEquals(SamplerSpec.topP(0.8), generator.samplers.get(0));
  }

  @Test
  void halfTheVotesIsEnough() {
    List<MaskPrediction> masks =
        predictor(model(), new CannedGenerator(samples(4, 4)), 8).segment(image, List.of(dog));
    assertEquals(100 * 50, masks.get(0).mask().area());
  }

  @Test
  void thePromptAndImageAreThoseOfTraining() {
    ScriptedModel model = model();
    CannedGenerator generator = new CannedGenerator(samples(1, 0));
    predictor(model, generator, 8).segment(image, List.of(dog));

    AnnotatedInstance annotated = AnnotatedInstance.of(
        9, DOG, dog.box(), List.of(Polygon.ofXy(20, 10, 120, 10, 120, 60, 20, 60)), null);
    SegmentExampleBuilder training = new SegmentExampleBuilder(
        registry.codec("segment", TaskContext.of(vocab), SegmentationCodec.class),
        new ModelInputs(ExampleOptions.plain(INPUT_SIZE), vocab.categories()));
    TrainingExample example = training.build(
        AnnotatedImage.of(image, List.of(annotated), List.of()), new SplittableRandom(1))
        .orElseThrow();
    for (GenerationRequest r : generator.calls.get(0)) {
      assertArrayEquals(example.sequence().prompt(), r.prompt());
      assertEquals(0, r.image());
    }
    assertEquals(example.image(), model.encodedImages().get(0));
  }

  @Test
  void imagesWithoutInstancesAreNeitherEncodedNorDecoded() {
    ScriptedModel model = model();
    CannedGenerator generator = new CannedGenerator(samples(8, 0));
    List<List<MaskPrediction>> all = predictor(model, generator, 1).segmentAll(
        List.of(image, PredictFixtures.flat(50, 50, 0.2f), image),
        List.of(List.of(dog, dog), List.of(), List.of(dog)));
    assertEquals(List.of(2, 0, 1), all.stream().map(List::size).toList());
    assertEquals(2, model.encodedBatches.size());
    assertEquals(List.of(16, 8), generator.calls.stream().map(List::size).toList());
    assertEquals(100 * 50, all.get(2).get(0).mask().area());
  }

  /** The mask as {@code [row][column]}. */
  static boolean[][] pixels(RleMask mask) {
    boolean[][] px = new boolean[mask.height()][mask.width()];
    long pos = 0;
    int[] counts = mask.counts();
    for (int i = 0; i < counts.length; i++) {
      for (long p = pos; i % 2 == 1 && p < pos + counts[i]; p++) {
        px[(int) (p % mask.height())][(int) (p / mask.height())] = true;
      }
      pos += counts[i];
    }
    return px;
  }
}
