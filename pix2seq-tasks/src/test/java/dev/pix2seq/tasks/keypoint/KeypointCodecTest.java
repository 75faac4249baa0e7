package dev.pix2seq.tasks.keypoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.task.ConstraintState;
import dev.pix2seq.api.task.TrainingSequence;
import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Keypoint;
import dev.pix2seq.api.value.Keypoints;
import dev.pix2seq.api.value.TokenSequence;
import dev.pix2seq.api.value.Visibility;
import dev.pix2seq.api.vocab.VocabLayout;
import dev.pix2seq.tasks.CodecContractTest;
import dev.pix2seq.tasks.InstanceRequest;
import dev.pix2seq.tasks.testing.RandomResponses;
import dev.pix2seq.tasks.testing.TestVocabularies;
import dev.pix2seq.tokenizer.Vocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class KeypointCodecTest
    extends CodecContractTest<KeypointAnnotation, KeypointRequest, Keypoints> {

  private final Vocabulary vocab = TestVocabularies.standard();
  private final VocabLayout layout = vocab.layout();
  private final KeypointCodec codec = new KeypointCodec(vocab, KeypointOptions.defaults());

  @Override
  protected Vocabulary vocab() {
    return vocab;
  }

  @Override
  protected KeypointCodec codec() {
    return codec;
  }

  private static InstanceRequest randomInstance(RandomGenerator rng) {
    double y0 = rng.nextDouble() * 0.5;
    double x0 = rng.nextDouble() * 0.5;
    int category = rng.nextBoolean() ? TestVocabularies.PERSON : TestVocabularies.DOG;
    return new InstanceRequest(new BoundingBox(x0, y0, x0 + 0.4, y0 + 0.5), category);
  }

  @Override
  protected KeypointAnnotation randomAnnotation(RandomGenerator rng) {
    InstanceRequest instance = randomInstance(rng);
    int n = codec.schemaOf(instance.categoryId()).size();
    List<Keypoint> points = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      int kind = rng.nextInt(3);
      points.add(kind == 0
          ? Keypoint.unlabeled()
          : new Keypoint(rng.nextDouble(), rng.nextDouble(),
              kind == 1 ? Visibility.OCCLUDED : Visibility.VISIBLE, 1));
    }
    return new KeypointAnnotation(instance, new Keypoints(points, 1));
  }

  @Override
  protected KeypointRequest randomInferenceRequest(RandomGenerator rng) {
    return new KeypointRequest(randomInstance(rng), rng.nextInt(4) == 0);
  }

  @Override
  protected void assertRoundTrip(KeypointAnnotation annotation, Keypoints decoded) {
    List<Keypoint> expected = annotation.keypoints().points();
    assertEquals(expected.size(), decoded.points().size());
    for (int k = 0; k < expected.size(); k++) {
      Keypoint e = expected.get(k);
      Keypoint a = decoded.points().get(k);
      if (e.visibility().isLabeled()) {
        assertEquals(Visibility.VISIBLE, a.visibility());
        assertEquals(e.x(), a.x(), oneBin());
        assertEquals(e.y(), a.y(), oneBin());
      } else {
        assertEquals(Visibility.UNLABELED, a.visibility());
      }
    }
    assertEquals(1.0, decoded.score(), 1e-9);
  }

  @Override
  protected void assertWellFormed(KeypointRequest request, int[] response, Keypoints decoded) {
    int n = codec.schemaOf(request.instance().categoryId()).size();
    assertEquals(2 * n + 1, response.length);
    assertEquals(n, decoded.points().size());
    int invisiblePairs = 0;
    for (int k = 0; k < n; k++) {
      if (response[2 * k] == layout.invisible()) {
        invisiblePairs++;
      }
    }
    assertEquals(n - invisiblePairs, decoded.labeledCount());
    if (!request.invisibleAllowed()) {
      assertEquals(0, invisiblePairs);
    }
  }

  @Override
  protected void assertSane(Keypoints decoded) {
    assertTrue(decoded.score() >= 0 && decoded.score() <= 1);
    int size = decoded.points().size();
    assertTrue(size == 0 || size == 6 || size == 4, "keypoints " + size);
    for (Keypoint k : decoded.points()) {
      assertTrue(k.score() >= 0 && k.score() <= 1);
      assertTrue(k.x() >= 0 && k.x() <= 1 && k.y() >= 0 && k.y() <= 1);
    }
  }

  private KeypointAnnotation person(Keypoint... points) {
    return new KeypointAnnotation(
        new InstanceRequest(new BoundingBox(0.1, 0.1, 0.5, 0.9), TestVocabularies.PERSON),
        new Keypoints(List.of(points), 1));
  }

  private static Keypoint at(double x, double y) {
    return new Keypoint(x, y, Visibility.VISIBLE, 1);
  }

  @Test
  void keypointCountComesFromTheCategorySchema() {
    RandomGenerator rng = new SplittableRandom(1);
    for (int i = 0; i < 20; i++) {
      KeypointAnnotation a = randomAnnotation(rng);
      int expected = a.instance().categoryId() == TestVocabularies.PERSON ? 13 : 9;
      assertEquals(expected, codec.trainingSequence(a, rng).length());
      assertEquals(expected, codec.maxResponseLength(codec.requestFor(a)));
    }
    assertEquals(13, codec.maxResponseLength());
  }

  @Test
  void targetIsYxPerKeypointWithInvisiblePairsForUnlabeledOnes() {
    KeypointCodec clean = new KeypointCodec(vocab,
        KeypointOptions.defaults().withInputInvisibleRate(0));
    KeypointAnnotation a = person(at(0.2, 0.3), Keypoint.unlabeled(),
        new Keypoint(0.4, 0.5, Visibility.OCCLUDED, 1), at(0.1, 0.1), Keypoint.unlabeled(),
        at(0.9, 0.8));
    TrainingSequence ts = clean.trainingSequence(a, new SplittableRandom(1));
    int inv = layout.invisible();
    int[] expected = {
      vocab.coordToken(0.3), vocab.coordToken(0.2), inv, inv,
      vocab.coordToken(0.5), vocab.coordToken(0.4), vocab.coordToken(0.1), vocab.coordToken(0.1),
      inv, inv, vocab.coordToken(0.8), vocab.coordToken(0.9), layout.eos()
    };
    assertArrayEquals(expected, ts.target());
    assertArrayEquals(expected, ts.input());
    float[] w = ts.weights();
    assertArrayEquals(new float[] {1, 1, 0.1f, 0.1f, 1, 1, 1, 1, 0.1f, 0.1f, 1, 1, 1}, w);
    assertEquals(layout.taskToken("keypoint"), ts.prompt()[0]);
    assertEquals(vocab.classToken(TestVocabularies.PERSON), ts.prompt()[5]);
  }

  @Test
  void decoderInputCoordinatesAreReplacedByInvisibleAtTheConfiguredRate() {
    KeypointCodec always = new KeypointCodec(vocab,
        KeypointOptions.defaults().withInputInvisibleRate(1));
    TrainingSequence ts = always.trainingSequence(
        randomAnnotation(new SplittableRandom(4)), new SplittableRandom(1));
    for (int i = 0; i < ts.length() - 1; i++) {
      assertEquals(layout.invisible(), ts.input()[i]);
    }
    int replaced = 0;
    int coords = 0;
    RandomGenerator rng = new SplittableRandom(2);
    for (int i = 0; i < 300; i++) {
      TrainingSequence s = codec.trainingSequence(randomAnnotation(rng), rng);
      for (int j = 0; j < s.length(); j++) {
        if (layout.isCoord(s.target()[j])) {
          coords++;
          if (s.input()[j] == layout.invisible()) {
            replaced++;
          }
        } else {
          assertEquals(s.target()[j], s.input()[j]);
        }
      }
    }
    double rate = (double) replaced / coords;
    assertTrue(rate > 0.45 && rate < 0.55, "rate " + rate);
  }

  @Test
  void inferenceRequestsSuppressInvisibleAndTrainingRequestsAllowIt() {
    KeypointAnnotation a = randomAnnotation(new SplittableRandom(3));
    KeypointRequest training = codec.requestFor(a);
    assertTrue(training.invisibleAllowed());
    assertTrue(codec.constraint(training).start().allowed().contains(layout.invisible()));
    KeypointRequest inference = KeypointRequest.forInference(a.instance());
    ConstraintState s = codec.constraint(inference).start();
    assertFalse(s.allowed().contains(layout.invisible()));
    assertEquals(layout.coordRange().size(), s.allowed().size());
  }

  @Test
  void invisibleMustComeInPairs() {
    KeypointRequest q = codec.requestFor(randomAnnotation(new SplittableRandom(3)));
    ConstraintState s = codec.constraint(q).start().advance(layout.invisible());
    assertEquals(1, s.allowed().size());
    assertTrue(s.allowed().contains(layout.invisible()));
    ConstraintState c = codec.constraint(q).start().advance(layout.coordBase());
    assertFalse(c.allowed().contains(layout.invisible()));
    assertFalse(c.allowed().contains(layout.eos()));
  }

  @Test
  void categoriesWithoutSchemaAreRejectedButStillDecode() {
    InstanceRequest car =
        new InstanceRequest(new BoundingBox(0, 0, 1, 1), TestVocabularies.CAR);
    KeypointRequest q = KeypointRequest.forInference(car);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> codec.prompt(q));
    assertTrue(e.getMessage().contains("category 3"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> codec.constraint(q));
    assertEquals(0, codec.decode(q, TokenSequence.of(1, 2, 3)).points().size());
    RandomGenerator rng = new SplittableRandom(1);
    for (int i = 0; i < 1000; i++) {
      int[] tokens = RandomResponses.structured(vocab, 20, rng);
      assertTrue(codec.decode(q, RandomResponses.withLogProbs(tokens, rng)).points().isEmpty());
    }
  }

  @Test
  void wrongNumberOfKeypointsIsRejected() {
    KeypointAnnotation a = person(at(0.1, 0.1), at(0.2, 0.2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> codec.trainingSequence(a, new SplittableRandom(1)));
    assertTrue(e.getMessage().contains("6"), e.getMessage());
  }

  @Test
  void decodeScoresKeypointsAndTheInstanceByMeanTokenProbability() {
    int c1 = vocab.coordToken(0.25);
    int c2 = vocab.coordToken(0.75);
    int inv = layout.invisible();
    int[] tokens = {c1, c2, inv, inv, c1, inv, c2, c1, layout.eos(), c1, c1};
    float[] lp = new float[tokens.length];
    lp[0] = (float) Math.log(0.5);
    lp[1] = (float) Math.log(0.7);
    lp[2] = (float) Math.log(0.2);
    lp[3] = (float) Math.log(0.4);
    KeypointRequest q = KeypointRequest.forInference(person().instance());
    Keypoints k = codec.decode(q, new TokenSequence(tokens, lp));
    assertEquals(6, k.points().size());
    Keypoint first = k.points().get(0);
    assertEquals(Visibility.VISIBLE, first.visibility());
    assertEquals(0.75, first.x(), oneBin());
    assertEquals(0.25, first.y(), oneBin());
    assertEquals(0.6, first.score(), 1e-6);
    assertEquals(Visibility.UNLABELED, k.points().get(1).visibility());
    assertEquals(0.3, k.points().get(1).score(), 1e-6);
    assertEquals(Visibility.UNLABELED, k.points().get(2).visibility(), "mixed pair");
    assertEquals(Visibility.VISIBLE, k.points().get(3).visibility());
    assertEquals(Visibility.UNLABELED, k.points().get(4).visibility(), "after EOS");
    assertEquals(0.0, k.points().get(4).score());
    assertEquals((0.5 + 0.7 + 0.2 + 0.4 + 4) / 8, k.score(), 1e-6);
  }
}
