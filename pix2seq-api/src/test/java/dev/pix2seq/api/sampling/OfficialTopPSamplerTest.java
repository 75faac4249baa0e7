package dev.pix2seq.api.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kept sets that the official code's {@code top_logits} gave for these distributions (run
 * with TensorFlow 2.21; docs/official-task-conventions.md section 0.5).
 */
class OfficialTopPSamplerTest {

  static Stream<Arguments> officialKeptSets() {
    return Stream.of(
        Arguments.of(new double[] {0.3, 0.25, 0.2, 0.15, 0.1}, 0.4, new int[] {0}),
        Arguments.of(new double[] {0.5, 0.3, 0.2}, 0.4, new int[] {0}),
        Arguments.of(new double[] {0.35, 0.05, 0.3, 0.3}, 0.8, new int[] {0, 2, 3}),
        Arguments.of(new double[] {0.2, 0.2, 0.2, 0.2, 0.2}, 0.4, new int[] {0, 1, 2, 3, 4}),
        Arguments.of(new double[] {0.82, 0.09, 0.09}, 0.1, new int[] {0}),
        Arguments.of(repeat(0.05, 20), 0.1, range(20)));
  }

  @ParameterizedTest
  @MethodSource("officialKeptSets")
  void keepsWhatTheOfficialRuleKeeps(double[] probabilities, double p, int[] expected) {
    float[] logits = new float[probabilities.length];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) Math.log(probabilities[i]);
    }
    OfficialTopPSampler sampler = new OfficialTopPSampler(p, 1);
    float[] kept = sampler.kept(logits);
    TreeSet<Integer> keptSet = new TreeSet<>();
    for (int i = 0; i < kept.length; i++) {
      if (kept[i] != Float.NEGATIVE_INFINITY) {
        keptSet.add(i);
      }
    }
    TreeSet<Integer> want = new TreeSet<>();
    for (int i : expected) {
      want.add(i);
    }
    assertEquals(want, keptSet);
    SplittableRandom rng = new SplittableRandom(5);
    for (int draw = 0; draw < 200; draw++) {
      assertTrue(want.contains(sampler.sample(logits, rng)), "draws only kept tokens");
    }
  }

  @Test
  void isASamplerTypeOfConfigs() {
    SamplerSpec spec = SamplerSpec.fromConfig(SamplerSpec.Type.ofConfigName("official-top-p"),
        null, null, 0.4, null);
    assertEquals("official-top-p", spec.type().configName());
    assertEquals(new OfficialTopPSampler(0.4, 1), spec.create());
  }

  private static double[] repeat(double v, int n) {
    double[] out = new double[n];
    java.util.Arrays.fill(out, v);
    return out;
  }

  private static int[] range(int n) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = i;
    }
    return out;
  }
}
