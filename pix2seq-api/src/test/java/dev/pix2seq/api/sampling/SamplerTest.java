package dev.pix2seq.api.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {
  private static final float NEG = Float.NEGATIVE_INFINITY;

  @Test
  void greedyTakesTheLargestLowestIdOnTies() {
    assertEquals(2, new GreedySampler().sample(new float[] {1, 2, 3, 0}, null));
    assertEquals(1, new GreedySampler().sample(new float[] {NEG, 5, 5, 1}, null));
  }

  @Test
  void maskedTokensAreNeverSampled() {
    float[] logits = {NEG, 0, NEG, 0.5f, NEG};
    SplittableRandom rng = new SplittableRandom(1);
    for (Sampler s :
        new Sampler[] {new TopKSampler(0, 2), new TopKSampler(3, 1), new TopPSampler(1, 3)}) {
      for (int i = 0; i < 2000; i++) {
        int t = s.sample(logits, rng);
        assertTrue(t == 1 || t == 3, s + " sampled masked token " + t);
      }
    }
  }

  @Test
  void topKOneAndTinyTopPAreGreedy() {
    SplittableRandom rng = new SplittableRandom(2);
    float[] logits = {0.1f, 2f, 1.9f, -1f};
    for (int i = 0; i < 200; i++) {
      assertEquals(1, new TopKSampler(1, 1).sample(logits, rng));
      assertEquals(1, new TopPSampler(1e-6, 1).sample(logits, rng));
    }
  }

  @Test
  void temperatureSamplingFollowsTheSoftmax() {
    float[] logits = {0f, (float) Math.log(2), (float) Math.log(7)};
    double[] expected = {0.1, 0.2, 0.7};
    int n = 100_000;
    int[] counts = new int[3];
    SplittableRandom rng = new SplittableRandom(3);
    Sampler s = SamplerSpec.temperature(1).create();
    for (int i = 0; i < n; i++) {
      counts[s.sample(logits, rng)]++;
    }
    for (int i = 0; i < 3; i++) {
      double sd = Math.sqrt(expected[i] * (1 - expected[i]) / n);
      assertEquals(expected[i], counts[i] / (double) n, 5 * sd, "token " + i);
    }
  }

  @Test
  void topPKeepsTheSmallestNucleus() {
    // probabilities 0.5, 0.3, 0.2: p = 0.7 keeps the first two (0.5 < 0.7 <= 0.8).
    float[] logits = {(float) Math.log(5), (float) Math.log(3), (float) Math.log(2)};
    SplittableRandom rng = new SplittableRandom(4);
    int[] counts = new int[3];
    for (int i = 0; i < 20_000; i++) {
      counts[new TopPSampler(0.7, 1).sample(logits, rng)]++;
    }
    assertEquals(0, counts[2]);
    assertEquals(5 / 8.0, counts[0] / 20_000.0, 0.02);
  }

  @Test
  void lowTemperatureSharpens() {
    float[] logits = {1f, 1.5f};
    SplittableRandom rng = new SplittableRandom(5);
    int second = 0;
    for (int i = 0; i < 1000; i++) {
      second += new TopKSampler(0, 0.01).sample(logits, rng);
    }
    assertEquals(1000, second);
  }

  @Test
  void invalidParametersAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new TopPSampler(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new TopKSampler(-1, 1));
    assertThrows(IllegalArgumentException.class, () -> new TopKSampler(1, 0));
    assertThrows(UnsupportedOperationException.class, () -> SamplerSpec.beam(4).create());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SamplerSpec.Type.ofConfigName("nucleus"));
    assertTrue(e.getMessage().contains("top-p"));
  }

  @Test
  void logProbIsNormalised() {
    float[] logits = {1, 2, 3, NEG};
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      sum += Math.exp(LogitMath.logProb(logits, i));
    }
    assertEquals(1.0, sum, 1e-6);
    assertNotEquals(0, LogitMath.logProb(logits, 0));
  }
}
