package dev.pix2seq.tasks.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.task.ConstraintState;
import dev.pix2seq.api.task.TrainingSequence;
import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Point;
import dev.pix2seq.api.value.Polygon;
import dev.pix2seq.api.value.PolygonMask;
import dev.pix2seq.api.value.TokenSequence;
import dev.pix2seq.api.vocab.VocabLayout;
import dev.pix2seq.tasks.CodecContractTest;
import dev.pix2seq.tasks.InstanceRequest;
import dev.pix2seq.tasks.testing.TestVocabularies;
import dev.pix2seq.tokenizer.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class SegmentationCodecTest
    extends CodecContractTest<SegmentationAnnotation, InstanceRequest, PolygonMask> {

  private final Vocabulary vocab = TestVocabularies.standard();
  private final VocabLayout layout = vocab.layout();
  private final SegmentationCodec codec =
      new SegmentationCodec(vocab, SegmentationOptions.defaults());

  @Override
  protected Vocabulary vocab() {
    return vocab;
  }

  @Override
  protected SegmentationCodec codec() {
    return codec;
  }

  /** A star-shaped polygon of {@code n} vertices around a random centre. */
  static Polygon randomPolygon(int n, RandomGenerator rng) {
    double cx = 0.2 + 0.6 * rng.nextDouble();
    double cy = 0.2 + 0.6 * rng.nextDouble();
    double[] angles = new double[n];
    for (int i = 0; i < n; i++) {
      angles[i] = rng.nextDouble() * 2 * Math.PI;
    }
    Arrays.sort(angles);
    List<Point> pts = new ArrayList<>(n);
    for (double a : angles) {
      double r = 0.02 + 0.18 * rng.nextDouble();
      pts.add(new Point(cx + r * Math.cos(a), cy + r * Math.sin(a)));
    }
    return new Polygon(pts);
  }

  static InstanceRequest randomInstance(RandomGenerator rng) {
    double y0 = rng.nextDouble() * 0.8;
    double x0 = rng.nextDouble() * 0.8;
    int[] ids = {TestVocabularies.PERSON, TestVocabularies.CAR, TestVocabularies.KITE};
    return new InstanceRequest(
        new BoundingBox(x0, y0, x0 + 0.2, y0 + 0.15), ids[rng.nextInt(ids.length)]);
  }

  @Override
  protected SegmentationAnnotation randomAnnotation(RandomGenerator rng) {
    boolean large = rng.nextInt(8) == 0;
    int parts = large ? 1 + rng.nextInt(60) : 1 + rng.nextInt(4);
    List<Polygon> polygons = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      polygons.add(randomPolygon(3 + rng.nextInt(large ? 200 : 25), rng));
    }
    return new SegmentationAnnotation(randomInstance(rng), new PolygonMask(polygons));
  }

  @Override
  protected InstanceRequest randomInferenceRequest(RandomGenerator rng) {
    return randomInstance(rng);
  }

  @Override
  protected void assertRoundTrip(SegmentationAnnotation annotation, PolygonMask decoded) {
    PolygonMask expected =
        PolygonReduction.of(annotation.mask(), codec.options().maxPoints()).mask();
    assertEquals(expected.polygons().size(), decoded.polygons().size());
    for (int i = 0; i < expected.polygons().size(); i++) {
      assertSameUpToRotation(expected.polygons().get(i), decoded.polygons().get(i));
    }
  }

  private void assertSameUpToRotation(Polygon expected, Polygon actual) {
    List<Point> e = expected.points();
    List<Point> a = actual.points();
    assertEquals(e.size(), a.size());
    for (int shift = 0; shift < e.size(); shift++) {
      boolean all = true;
      for (int i = 0; i < e.size() && all; i++) {
        Point p = e.get((i + shift) % e.size());
        Point q = a.get(i);
        all = Math.abs(p.x() - q.x()) <= oneBin() && Math.abs(p.y() - q.y()) <= oneBin();
      }
      if (all) {
        return;
      }
    }
    throw new AssertionError("no rotation of " + expected + " matches " + actual);
  }

  @Override
  protected void assertWellFormed(InstanceRequest request, int[] response, PolygonMask mask) {
    int seps = 0;
    int coords = 0;
    for (int t : response) {
      if (t == layout.sep()) {
        seps++;
      } else if (layout.isCoord(t)) {
        coords++;
      }
    }
    assertEquals(seps + 1, mask.polygons().size());
    assertEquals(coords / 2, mask.pointCount());
    assertTrue(mask.pointCount() <= codec.options().maxPoints());
  }

  @Override
  protected void assertSane(PolygonMask mask) {
    for (Polygon p : mask.polygons()) {
      assertTrue(p.points().size() >= 3);
      for (Point pt : p.points()) {
        assertTrue(pt.x() >= 0 && pt.x() <= 1 && pt.y() >= 0 && pt.y() <= 1);
      }
    }
  }

  private static Polygon triangle(double y, double x) {
    return new Polygon(List.of(new Point(x, y), new Point(x + 0.1, y), new Point(x, y + 0.1)));
  }

  @Test
  void targetIsVerticesYxPerPolygonJoinedBySep() {
    SegmentationCodec c = new SegmentationCodec(
        vocab, SegmentationOptions.defaults().withRandomStartVertex(false));
    InstanceRequest instance =
        new InstanceRequest(new BoundingBox(0.1, 0.2, 0.5, 0.6), TestVocabularies.CAR);
    PolygonMask mask = new PolygonMask(List.of(triangle(0.2, 0.1), triangle(0.5, 0.4)));
    TrainingSequence ts =
        c.trainingSequence(new SegmentationAnnotation(instance, mask), new SplittableRandom(1));
    int[] expectedPrompt = {
      layout.taskToken("segment"), vocab.coordToken(0.2), vocab.coordToken(0.1),
      vocab.coordToken(0.6), vocab.coordToken(0.5), vocab.classToken(TestVocabularies.CAR)
    };
    assertArrayEquals(expectedPrompt, ts.prompt());
    int[] expectedTarget = {
      vocab.coordToken(0.2), vocab.coordToken(0.1),
      vocab.coordToken(0.2), vocab.coordToken(0.2),
      vocab.coordToken(0.3), vocab.coordToken(0.1),
      layout.sep(),
      vocab.coordToken(0.5), vocab.coordToken(0.4),
      vocab.coordToken(0.5), vocab.coordToken(0.5),
      vocab.coordToken(0.6), vocab.coordToken(0.4),
      layout.eos()
    };
    assertArrayEquals(expectedTarget, ts.target());
    assertArrayEquals(ts.target(), ts.input());
    for (float w : ts.weights()) {
      assertEquals(1f, w);
    }
  }

  @Test
  void withoutRandomStartEveryPolygonStartsAtItsTopMostVertex() {
    SegmentationCodec c = new SegmentationCodec(
        vocab, SegmentationOptions.defaults().withRandomStartVertex(false));
    // a diamond listed from its right corner; the top corner (smallest y) must come first
    Polygon diamond = new Polygon(List.of(new Point(0.6, 0.4), new Point(0.4, 0.6),
        new Point(0.2, 0.4), new Point(0.4, 0.2)));
    SegmentationAnnotation a = new SegmentationAnnotation(
        new InstanceRequest(new BoundingBox(0.2, 0.2, 0.6, 0.6), TestVocabularies.CAR),
        new PolygonMask(List.of(diamond)));
    for (int seed = 0; seed < 5; seed++) {
      int[] target = c.trainingSequence(a, new SplittableRandom(seed)).target();
      assertEquals(vocab.coordToken(0.2), target[0]);
      assertEquals(vocab.coordToken(0.4), target[1]);
      // the direction is kept: the right corner follows after the top one wraps around
      assertEquals(vocab.coordToken(0.4), target[2]);
      assertEquals(vocab.coordToken(0.6), target[3]);
    }
  }

  @Test
  void randomStartVertexRotatesThePolygon() {
    Polygon p = randomPolygon(12, new SplittableRandom(5));
    SegmentationAnnotation a = new SegmentationAnnotation(
        randomInstance(new SplittableRandom(5)), new PolygonMask(List.of(p)));
    Set<Integer> firstTokens = new HashSet<>();
    for (int seed = 0; seed < 40; seed++) {
      TrainingSequence ts = codec.trainingSequence(a, new SplittableRandom(seed));
      firstTokens.add(ts.target()[0] * 10_000 + ts.target()[1]);
      PolygonMask decoded = codec.decode(a.instance(), TokenSequence.of(ts.target()));
      assertSameUpToRotation(p, decoded.polygons().get(0));
    }
    assertTrue(firstTokens.size() > 4, "start vertices seen: " + firstTokens.size());
  }

  @Test
  void largeMasksAreReducedToTheVertexBudget() {
    Polygon big = randomPolygon(300, new SplittableRandom(2));
    SegmentationAnnotation a = new SegmentationAnnotation(
        randomInstance(new SplittableRandom(2)), new PolygonMask(List.of(big)));
    TrainingSequence ts = codec.trainingSequence(a, new SplittableRandom(1));
    assertEquals(2 * 128 + 1, ts.length());
    List<Polygon> many = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      many.add(triangle(0.01 * i, 0.01 * i));
    }
    TrainingSequence ts2 = codec.trainingSequence(
        new SegmentationAnnotation(a.instance(), new PolygonMask(many)), new SplittableRandom(1));
    assertEquals(42 * 6 + 41 + 1, ts2.length());
  }

  @Test
  void maskWithoutPolygonsCannotBeTrained() {
    SegmentationAnnotation a = new SegmentationAnnotation(
        randomInstance(new SplittableRandom(1)), new PolygonMask(List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> codec.trainingSequence(a, new SplittableRandom(1)));
  }

  @Test
  void constraintNeedsThreeVerticesBeforeSepOrEosAndEnforcesTheBudget() {
    SegmentationCodec c = new SegmentationCodec(vocab, SegmentationOptions.defaults()
        .withMaxPoints(7));
    ConstraintState s = c.constraint(randomInstance(new SplittableRandom(1))).start();
    int coord = vocab.coordToken(0.4);
    for (int v = 0; v < 5; v++) {
      boolean closeable = v >= 3;
      assertEquals(closeable, s.allowed().contains(layout.eos()), "EOS after " + v);
      assertEquals(closeable && v + 3 <= 7, s.allowed().contains(layout.sep()), "SEP after " + v);
      s = s.advance(coord);
      assertFalse(s.allowed().contains(layout.eos()), "EOS between y and x");
      assertFalse(s.allowed().contains(layout.sep()), "SEP between y and x");
      s = s.advance(coord);
    }
    assertFalse(s.allowed().contains(layout.sep()), "no room for another polygon");
    assertTrue(s.allowed().contains(coord));
    s = s.advance(coord).advance(coord).advance(coord).advance(coord);
    assertEquals(1, s.allowed().size());
    assertTrue(s.allowed().contains(layout.eos()));
    assertEquals(2 * 7 + 2, c.maxResponseLength());
  }

  @Test
  void decodeDropsShortPartsOddCoordinatesAndStopsAtEos() {
    int a = vocab.coordToken(0.1);
    int b = vocab.coordToken(0.3);
    int[] tokens = {
      a, b, b, a, a, a, b, layout.sep(),
      a, b, b, b, layout.sep(),
      layout.fake(), a, a, b, layout.pad(), b, a, a, layout.eos(), a, b, b, a, a, a
    };
    PolygonMask mask = codec.decode(randomInstance(new SplittableRandom(1)),
        TokenSequence.of(tokens));
    assertEquals(2, mask.polygons().size());
    assertEquals(3, mask.polygons().get(0).points().size());
    assertEquals(new Point(0.3, 0.1), round(mask.polygons().get(0).points().get(0)));
    assertEquals(3, mask.polygons().get(1).points().size());
  }

  private static Point round(Point p) {
    return new Point(Math.round(p.x() * 1000) / 1000.0, Math.round(p.y() * 1000) / 1000.0);
  }
}
