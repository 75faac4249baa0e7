package dev.pix2seq.eval.caption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CiderDScorerTest {
  private static final double EPS = 1e-12;
  private final CiderDScorer scorer = new CiderDScorer();

  private static List<String> t(String s) {
    return s.isEmpty() ? List.of() : Arrays.asList(s.split(" "));
  }

  private static CaptionSample sample(long id, String candidate, String... refs) {
    return new CaptionSample(id, t(candidate),
        Arrays.stream(refs).map(CiderDScorerTest::t).toList());
  }

  @Test
  void aSingleImageScoresZeroBecauseEveryIdfIsZero() {
    CiderDResult r = scorer.score(List.of(sample(1, "a b c", "a b c")));
    assertEquals(0.0, r.corpus());
  }

  @Test
  void identicalCaptionsOfTwoImagesScoreHalfOfTenForTwoTokenCaptions() {
    // unigram and bigram cosines are 1, there are no 3- or 4-grams: (1 + 1 + 0 + 0) / 4 * 10
    CiderDResult r = scorer.score(List.of(sample(1, "a b", "a b"), sample(2, "c d", "c d")));
    assertEquals(5.0, r.perImage().get(1L), EPS);
    assertEquals(5.0, r.corpus(), EPS);
  }

  @Test
  void lengthPenaltyCountsBigrams() {
    CiderDResult r = scorer.score(List.of(sample(1, "a b", "a b c"), sample(2, "x y", "x y")));
    double unigram = 2 / Math.sqrt(6);
    double bigram = 1 / Math.sqrt(2);
    double penalty = Math.exp(-1.0 / 72);
    assertEquals((unigram + bigram) / 4 * penalty * 10, r.perImage().get(1L), EPS);
  }

  @Test
  void candidateCountsAreClippedByTheReference() {
    CiderDResult r = scorer.score(List.of(sample(1, "a a", "a b"), sample(2, "z", "z")));
    // clipped: min(2L, L) * L over norms 2L and sqrt(2) L; unclipped would be 1 / sqrt(2)
    assertEquals(1 / (2 * Math.sqrt(2)) / 4 * 10, r.perImage().get(1L), EPS);
    assertEquals(2.5, r.perImage().get(2L), EPS);
    assertEquals((r.perImage().get(1L) + 2.5) / 2, r.corpus(), EPS);
  }

  @Test
  void scoreIsTheMeanOverReferences() {
    CiderDResult one = scorer.score(List.of(sample(1, "a b", "a b"), sample(2, "c d", "c d")));
    CiderDResult two =
        scorer.score(List.of(sample(1, "a b", "a b", "q r"), sample(2, "c d", "c d")));
    // the unrelated reference adds 0 to the sum but doubles the divisor ("a b" keeps df 1)
    assertEquals(one.perImage().get(1L) / 2, two.perImage().get(1L), EPS);
  }

  @Test
  void emptyCandidateScoresZero() {
    CiderDResult r = scorer.score(List.of(sample(1, "", "a b"), sample(2, "c d", "c d")));
    assertEquals(0.0, r.perImage().get(1L));
  }

  @Test
  void corpusMeanUsesNumpysPairwiseSummation() {
    double[] a = {1e16, 1, 1, 1, 1, 1, 1, 1, -1e16};
    assertEquals(6.0, CiderDScorer.numpySum(a, 0, a.length));
    double sequential = 0;
    for (double v : a) {
      sequential += v;
    }
    assertEquals(0.0, sequential);
    double[] many = new double[300];
    Arrays.fill(many, 0.1);
    double expected = CiderDScorer.numpySum(many, 0, 144) + CiderDScorer.numpySum(many, 144, 156);
    assertEquals(expected, CiderDScorer.numpySum(many, 0, 300));
  }

  @Test
  void misuseIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> scorer.score(List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> scorer.score(List.of(sample(1, "a", "a"), sample(1, "b", "b"))));
  }
}
