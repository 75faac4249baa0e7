package dev.pix2seq.tasks.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.task.ConstraintState;
import dev.pix2seq.api.task.SequenceConstraint;
import dev.pix2seq.api.task.TrainingSequence;
import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.Detection;
import dev.pix2seq.api.value.TokenSequence;
import dev.pix2seq.api.vocab.VocabLayout;
import dev.pix2seq.tasks.CodecContractTest;
import dev.pix2seq.tasks.detect.DetectionOptions.NoisePadding;
import dev.pix2seq.tasks.testing.TestVocabularies;
import dev.pix2seq.tokenizer.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class DetectionCodecTest
    extends CodecContractTest<List<LabeledBox>, DetectRequest, List<Detection>> {

  private final Vocabulary vocab = TestVocabularies.standard();
  private final VocabLayout layout = vocab.layout();
  private final DetectionCodec codec = new DetectionCodec(vocab, DetectionOptions.defaults());

  @Override
  protected Vocabulary vocab() {
    return vocab;
  }

  @Override
  protected DetectionCodec codec() {
    return codec;
  }

  @Override
  protected List<LabeledBox> randomAnnotation(RandomGenerator rng) {
    int n = rng.nextInt(10) == 0 ? rng.nextInt(101) : rng.nextInt(12);
    List<Category> cats = vocab.categories();
    List<LabeledBox> objects = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double y0 = rng.nextDouble() * 1.1 - 0.05;
      double x0 = rng.nextDouble() * 1.1 - 0.05;
      double y1 = y0 + rng.nextDouble() * 0.5;
      double x1 = x0 + rng.nextDouble() * 0.5;
      objects.add(new LabeledBox(
          new BoundingBox(x0, y0, x1, y1), cats.get(rng.nextInt(cats.size())).id()));
    }
    return objects;
  }

  @Override
  protected DetectRequest randomInferenceRequest(RandomGenerator rng) {
    return DetectRequest.ALL_OBJECTS;
  }

  @Override
  protected void assertRoundTrip(List<LabeledBox> annotation, List<Detection> decoded) {
    List<Detection> expected = new ArrayList<>();
    for (LabeledBox o : annotation) {
      expected.add(new Detection(o.box().clip(1, 1), o.categoryId(), 1));
    }
    assertEquals(expected.size(), decoded.size());
    Comparator<Detection> order = Comparator.comparingInt(Detection::categoryId)
        .thenComparingInt(d -> bin(d.box().yMin()))
        .thenComparingInt(d -> bin(d.box().xMin()))
        .thenComparingInt(d -> bin(d.box().yMax()))
        .thenComparingInt(d -> bin(d.box().xMax()));
    expected.sort(order);
    List<Detection> actual = new ArrayList<>(decoded);
    actual.sort(order);
    for (int i = 0; i < expected.size(); i++) {
      BoundingBox e = expected.get(i).box();
      BoundingBox a = actual.get(i).box();
      assertEquals(expected.get(i).categoryId(), actual.get(i).categoryId());
      assertEquals(e.yMin(), a.yMin(), oneBin());
      assertEquals(e.xMin(), a.xMin(), oneBin());
      assertEquals(e.yMax(), a.yMax(), oneBin());
      assertEquals(e.xMax(), a.xMax(), oneBin());
      assertEquals(1.0, actual.get(i).score(), 1e-9);
    }
  }

  @Override
  protected void assertWellFormed(DetectRequest request, int[] response, List<Detection> dets) {
    int realObjects = 0;
    for (int at = 0; at + 5 <= response.length; at += 5) {
      if (response[at + 4] != layout.fake()) {
        realObjects++;
      }
    }
    assertEquals(realObjects, dets.size());
    assertTrue(dets.size() <= codec.options().maxObjects());
  }

  @Override
  protected void assertSane(List<Detection> dets) {
    for (Detection d : dets) {
      BoundingBox b = d.box();
      assertTrue(b.xMin() >= 0 && b.yMin() >= 0 && b.xMax() <= 1 && b.yMax() <= 1, b::toString);
      assertTrue(d.score() >= 0 && d.score() <= 1);
      vocab.classToken(d.categoryId());
    }
  }

  private int bin(double v) {
    return vocab.quantizer().quantize(v);
  }

  private List<LabeledBox> twoObjects() {
    return List.of(
        new LabeledBox(new BoundingBox(0.1, 0.2, 0.3, 0.4), TestVocabularies.CAR),
        new LabeledBox(new BoundingBox(0.5, 0.5, 0.9, 0.7), TestVocabularies.KITE));
  }

  @Test
  void fillPadsWithFakeNoiseWhoseCoordinatesWeighNothing() {
    DetectionCodec c = new DetectionCodec(vocab, DetectionOptions.defaults().withMaxObjects(10));
    TrainingSequence ts = c.trainingSequence(twoObjects(), new SplittableRandom(1));
    assertEquals(10 * 5 + 1, ts.length());
    int[] target = ts.target();
    float[] w = ts.weights();
    int real = 0;
    for (int k = 0; k < 10; k++) {
      int at = 5 * k;
      boolean fake = target[at + 4] == layout.fake();
      if (!fake) {
        real++;
        assertTrue(k < 2, "real objects come first");
      }
      for (int j = 0; j < 4; j++) {
        assertTrue(layout.isCoord(target[at + j]));
        assertEquals(fake ? 0f : 1f, w[at + j]);
      }
      assertEquals(1f, w[at + 4]);
    }
    assertEquals(2, real);
    assertEquals(layout.eos(), target[50]);
    assertEquals(1f, w[50]);
  }

  @Test
  void nonePaddingEndsRightAfterTheRealObjects() {
    DetectionCodec c = new DetectionCodec(
        vocab, DetectionOptions.defaults().withNoisePadding(NoisePadding.NONE));
    TrainingSequence ts = c.trainingSequence(twoObjects(), new SplittableRandom(1));
    assertEquals(2 * 5 + 1, ts.length());
    TrainingSequence empty = c.trainingSequence(List.of(), new SplittableRandom(1));
    assertArrayEquals(new int[] {layout.eos()}, empty.target());
  }

  @Test
  void fillWithoutRealObjectsUsesRandomNoise() {
    DetectionCodec c = new DetectionCodec(vocab, DetectionOptions.defaults().withMaxObjects(20));
    TrainingSequence ts = c.trainingSequence(List.of(), new SplittableRandom(4));
    assertEquals(101, ts.length());
    assertTrue(c.decode(DetectRequest.ALL_OBJECTS, TokenSequence.of(ts.target())).isEmpty());
  }

  @Test
  void fixedObjectOrdersSortTheRealObjects() {
    List<LabeledBox> objects = List.of(
        new LabeledBox(new BoundingBox(0.5, 0.5, 0.6, 0.6), 1),
        new LabeledBox(new BoundingBox(0.0, 0.1, 0.5, 0.9), 1),
        new LabeledBox(new BoundingBox(0.2, 0.2, 0.25, 0.25), 1));
    DetectionOptions none = DetectionOptions.defaults().withNoisePadding(NoisePadding.NONE);
    for (long seed = 0; seed < 5; seed++) {
      DetectionCodec byArea =
          new DetectionCodec(vocab, none.withObjectOrder(DetectionOptions.ObjectOrder.AREA));
      List<Detection> a = byArea.decode(DetectRequest.ALL_OBJECTS,
          TokenSequence.of(byArea.trainingSequence(objects, new SplittableRandom(seed)).target()));
      assertEquals(List.of(0.0, 0.5, 0.2), a.stream().map(d -> round(d.box().xMin())).toList());
      DetectionCodec byDistance = new DetectionCodec(
          vocab, none.withObjectOrder(DetectionOptions.ObjectOrder.DISTANCE_TO_ORIGIN));
      List<Detection> d = byDistance.decode(DetectRequest.ALL_OBJECTS, TokenSequence.of(
          byDistance.trainingSequence(objects, new SplittableRandom(seed)).target()));
      assertEquals(List.of(0.0, 0.2, 0.5), d.stream().map(x -> round(x.box().xMin())).toList());
    }
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  @Test
  void objectsBeyondMaxObjectsAreDroppedAtRandom() {
    DetectionCodec c = new DetectionCodec(vocab, DetectionOptions.defaults().withMaxObjects(3));
    List<LabeledBox> objects = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      objects.add(new LabeledBox(new BoundingBox(0.1 * i, 0.1, 0.1 * i + 0.05, 0.2),
          TestVocabularies.CUP));
    }
    TrainingSequence a = c.trainingSequence(objects, new SplittableRandom(1));
    TrainingSequence b = c.trainingSequence(objects, new SplittableRandom(2));
    assertEquals(16, a.length());
    assertEquals(3, c.decode(DetectRequest.ALL_OBJECTS, TokenSequence.of(a.target())).size());
    assertFalse(Arrays.equals(a.target(), b.target()));
  }

  @Test
  void objectOrderIsRandom() {
    List<LabeledBox> objects = randomAnnotation(new SplittableRandom(12));
    while (objects.size() < 5) {
      objects = randomAnnotation(new SplittableRandom(objects.size() + 100));
    }
    DetectionCodec c = new DetectionCodec(
        vocab, DetectionOptions.defaults().withNoisePadding(NoisePadding.NONE));
    assertNotEquals(
        Arrays.toString(c.trainingSequence(objects, new SplittableRandom(1)).target()),
        Arrays.toString(c.trainingSequence(objects, new SplittableRandom(2)).target()));
  }

  @Test
  void classCorruptionReplacesOnlyClassInputs() {
    DetectionCodec clean = new DetectionCodec(
        vocab, DetectionOptions.defaults().withClassCorruptionRate(0));
    TrainingSequence ts = clean.trainingSequence(twoObjects(), new SplittableRandom(1));
    assertArrayEquals(ts.target(), ts.input());

    DetectionCodec always = new DetectionCodec(vocab, DetectionOptions.defaults());
    int fake = 0;
    int classes = 0;
    for (int seed = 0; seed < 50; seed++) {
      TrainingSequence s = always.trainingSequence(twoObjects(), new SplittableRandom(seed));
      for (int i = 0; i < s.length(); i++) {
        if (i % 5 == 4 && i < s.length() - 1) {
          classes++;
          int in = s.input()[i];
          assertTrue(in == layout.fake() || vocab.usedClassRange().contains(in));
          if (in == layout.fake()) {
            fake++;
          }
        } else {
          assertEquals(s.target()[i], s.input()[i]);
        }
      }
    }
    double share = (double) fake / classes;
    assertTrue(share > 0.4 && share < 0.6, "FAKE share " + share);
  }

  @Test
  void unknownCategoryIsRejected() {
    List<LabeledBox> bad = List.of(new LabeledBox(new BoundingBox(0, 0, 1, 1), 999));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> codec.trainingSequence(bad, new SplittableRandom(1)));
    assertTrue(e.getMessage().contains("999"));
  }

  @Test
  void decodeSortsCornersDropsFakeAndScoresByClassProbability() {
    int[] tokens = {
      vocab.coordToken(0.6), vocab.coordToken(0.8), vocab.coordToken(0.2), vocab.coordToken(0.1),
      vocab.classToken(TestVocabularies.DOG),
      vocab.coordToken(0.1), vocab.coordToken(0.1), vocab.coordToken(0.2), vocab.coordToken(0.2),
      layout.fake(),
      layout.eos(),
      vocab.coordToken(0.1), vocab.coordToken(0.1), vocab.coordToken(0.2), vocab.coordToken(0.2),
      vocab.classToken(TestVocabularies.CUP)
    };
    float[] lp = new float[tokens.length];
    lp[4] = (float) Math.log(0.25);
    List<Detection> dets = codec.decode(DetectRequest.ALL_OBJECTS, new TokenSequence(tokens, lp));
    assertEquals(1, dets.size());
    Detection d = dets.get(0);
    assertEquals(TestVocabularies.DOG, d.categoryId());
    assertEquals(0.25, d.score(), 1e-6);
    assertEquals(0.2, d.box().yMin(), oneBin());
    assertEquals(0.6, d.box().yMax(), oneBin());
    assertEquals(0.1, d.box().xMin(), oneBin());
    assertEquals(0.8, d.box().xMax(), oneBin());
  }

  @Test
  void decodeSkipsMalformedAndPartialGroups() {
    int c = vocab.coordToken(0.5);
    int cls = vocab.classToken(TestVocabularies.CAR);
    int unused = layout.classBase() + 500;
    int[] tokens = {c, c, c, c, unused, c, c, layout.sep(), c, cls, c, c, c, c, cls, c, c};
    assertEquals(1, codec.decode(DetectRequest.ALL_OBJECTS, TokenSequence.of(tokens)).size());
  }

  @Test
  void constraintAllowsEosOnlyAtObjectBoundariesAndStopsAtMaxObjects() {
    DetectionCodec c = new DetectionCodec(vocab, DetectionOptions.defaults().withMaxObjects(2));
    SequenceConstraint sc = c.constraint(DetectRequest.ALL_OBJECTS);
    ConstraintState s = sc.start();
    assertTrue(s.allowed().contains(layout.eos()));
    assertTrue(s.allowed().contains(layout.coordBase()));
    assertFalse(s.allowed().contains(layout.fake()));
    int coord = vocab.coordToken(0.3);
    for (int k = 0; k < 2; k++) {
      for (int j = 0; j < 4; j++) {
        assertFalse(s.allowed().contains(layout.eos()) && j > 0);
        s = s.advance(coord);
      }
      assertTrue(s.allowed().contains(layout.fake()));
      assertTrue(s.allowed().contains(vocab.classToken(TestVocabularies.KITE)));
      assertFalse(s.allowed().contains(layout.classBase() + vocab.categories().size()));
      assertFalse(s.allowed().contains(layout.eos()));
      s = s.advance(layout.fake());
    }
    assertEquals(1, s.allowed().size());
    assertTrue(s.allowed().contains(layout.eos()));
    assertEquals(11, c.maxResponseLength());
  }
}
