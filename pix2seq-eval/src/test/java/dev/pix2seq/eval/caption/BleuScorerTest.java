package dev.pix2seq.eval.caption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BleuScorerTest {
  private final BleuScorer scorer = new BleuScorer();

  private static List<String> t(String s) {
    return s.isEmpty() ? List.of() : Arrays.asList(s.split(" "));
  }

  private static CaptionSample sample(long id, String candidate, String... refs) {
    return new CaptionSample(id, t(candidate), Arrays.stream(refs).map(BleuScorerTest::t).toList());
  }

  /**
   * The guards make both the precisions and the length ratio (c + 1e-15) / (r + 1e-9) fall
   * just below 1, so even equal lengths get a (tiny) brevity penalty.
   */
  @Test
  void identicalCandidateScoresJustBelowOneBecauseOfTheToolkitsGuards() {
    BleuResult r = scorer.score(List.of(sample(1, "a b c", "a b c")));
    double p1 = (3 + 1e-15) / (3 + 1e-9);
    double p2 = (2 + 1e-15) / (2 + 1e-9);
    double penalty = Math.exp(1 - 1 / ((3 + 1e-15) / (3 + 1e-9)));
    assertEquals(p1 * penalty, r.corpus().bleu1(), 1e-16);
    assertEquals(Math.pow(p1 * p2, 0.5) * penalty, r.corpus().bleu2(), 1e-16);
    assertTrue(r.corpus().bleu1() < 1.0);
    // one trigram, no 4-gram at all: its precision is 1e-15 / 1e-9
    double p4 = 1e-15 / 1e-9;
    assertEquals(Math.pow(p1 * p2 * ((1 + 1e-15) / (1 + 1e-9)) * p4, 0.25) * penalty,
        r.corpus().bleu4(), 1e-16);
    assertEquals(r.corpus(), r.perImage().get(1L));
  }

  @Test
  void emptyCandidateScoresZero() {
    BleuResult r = scorer.score(List.of(sample(1, "", "a b c")));
    assertEquals(new BleuScore(0, 0, 0, 0), r.corpus());
    assertEquals(0, r.totals().candidateLength());
    assertEquals(3, r.totals().referenceLength());
  }

  @Test
  void closestReferenceLengthTiesGoToTheShorter() {
    BleuResult r = scorer.score(List.of(
        sample(1, "1 2 3 4 5 6 7 8 9", "1 2 3 4 5 6 7 8 9 10", "1 2 3 4 5 6 7 8")));
    assertEquals(8, r.totals().referenceLength());
    assertEquals(9, r.totals().candidateLength());
    assertEquals(9, BleuScorer.closestReferenceLength(List.of(t("a b c d e f g h i")), 2));
    assertEquals(4, BleuScorer.closestReferenceLength(List.of(t("a b c d e f"), t("a b c d")), 5));
  }

  @Test
  void countsAreClippedByTheLargestCountInAnySingleReference() {
    BleuResult r = scorer.score(List.of(sample(1, "the the the the", "the cat", "the the dog")));
    assertEquals(List.of(4L, 3L, 2L, 1L), r.totals().guess());
    assertEquals(List.of(2L, 1L, 0L, 0L), r.totals().correct());
  }

  @Test
  void shortCandidateGetsTheBrevityPenaltyAndLongOneDoesNot() {
    BleuResult shortOne = scorer.score(List.of(sample(1, "a b", "a b c d")));
    double p1 = (2 + 1e-15) / (2 + 1e-9);
    double ratio = (2 + 1e-15) / (4 + 1e-9);
    assertEquals(p1 * Math.exp(1 - 1 / ratio), shortOne.corpus().bleu1(), 1e-15);
    BleuResult longOne = scorer.score(List.of(sample(1, "a b x y z", "a b")));
    assertEquals((2 + 1e-15) / (5 + 1e-9), longOne.corpus().bleu1(), 1e-15);
  }

  @Test
  void corpusBleuPoolsCountsInsteadOfAveragingImages() {
    BleuResult r = scorer.score(List.of(sample(1, "a b", "a b"), sample(2, "x y z w", "p q r s")));
    assertEquals(List.of(6L, 4L, 2L, 1L), r.totals().guess());
    assertEquals(List.of(2L, 1L, 0L, 0L), r.totals().correct());
    double penalty = Math.exp(1 - 1 / ((6 + 1e-15) / (6 + 1e-9)));
    assertEquals((2 + 1e-15) / (6 + 1e-9) * penalty, r.corpus().bleu1(), 1e-15);
    double mean = (r.perImage().get(1L).bleu1() + r.perImage().get(2L).bleu1()) / 2;
    assertTrue(Math.abs(mean - r.corpus().bleu1()) > 0.1);
    assertEquals(List.of(1L, 2L), List.copyOf(r.perImage().keySet()));
  }

  @Test
  void misuseIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> scorer.score(List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> scorer.score(List.of(sample(1, "a", "a"), sample(1, "b", "b"))));
    assertThrows(IllegalArgumentException.class, () -> new CaptionSample(1, t("a"), List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> new CaptionSample(1, List.of("a b"), List.of(t("a"))));
    assertThrows(IllegalArgumentException.class,
        () -> new CaptionSample(1, List.of(""), List.of(t("a"))));
    assertThrows(IllegalArgumentException.class, () -> new BleuScore(0.5, Double.NaN, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new BleuScore(1, 1, 1, 1).bleu(5));
  }
}
