package dev.pix2seq.api.generation;

import static dev.pix2seq.api.generation.TestConstraints.EOS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.sampling.SamplerSpec;
import dev.pix2seq.api.task.ConstraintState;
import dev.pix2seq.api.task.SequenceConstraint;
import dev.pix2seq.api.value.TokenSequence;
import dev.pix2seq.api.vocab.TokenRange;
import dev.pix2seq.api.vocab.TokenSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Beam search against an exhaustive search over a small vocabulary and length. */
class BeamSearchTest {
  private static final int VOCAB = 7;
  private static final ImageFeatures IMAGES = new FakeDecoder.Features(3);

  /** The best complete response: EOS-ended or of the full length. */
  private record Best(int[] tokens, double score) {}

  private static Best bruteForce(FakeDecoder d, GenerationRequest q, double alpha) {
    Best[] best = {null};
    search(d, q, q.constraint().start(), q.prompt(), new int[0], 0, alpha, best);
    return best[0];
  }

  private static void search(FakeDecoder d, GenerationRequest q, ConstraintState s, int[] prefix,
      int[] response, double score, double alpha, Best[] best) {
    float[] l = d.function.logits(q.image(), prefix);
    double z = 0;
    for (int t = 0; t < l.length; t++) {
      z += s.allowed().contains(t) ? Math.exp(l[t]) : 0;
    }
    for (int t = 0; t < l.length; t++) {
      if (!s.allowed().contains(t)) {
        continue;
      }
      double next = score + l[t] - Math.log(z);
      int[] r = Arrays.copyOf(response, response.length + 1);
      r[response.length] = t;
      if (t == EOS || r.length == q.maxNewTokens()) {
        double normalised = next / Math.pow((5.0 + r.length) / 6, alpha);
        if (best[0] == null || normalised > best[0].score()) {
          best[0] = new Best(r, normalised);
        }
      } else {
        int[] p = Arrays.copyOf(prefix, prefix.length + 1);
        p[prefix.length] = t;
        search(d, q, s.advance(t), p, r, next, alpha, best);
      }
    }
  }

  private static List<GenerationRequest> requests(SequenceConstraint c, int maxNew, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<GenerationRequest> out = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      out.add(new GenerationRequest(
          r.nextInt(3), r.ints(1 + r.nextInt(3), 2, VOCAB).toArray(), c, maxNew));
    }
    return out;
  }

  private static void assertBeamFindsTheBest(double alpha, SequenceConstraint c, int maxNew) {
    for (int seed = 0; seed < 4; seed++) {
      // Scale 1.5: EOS is chosen at varied lengths, so normalisation matters.
      FakeDecoder d = new FakeDecoder(VOCAB, 32, FakeDecoder.random(seed, VOCAB, 1.5));
      List<GenerationRequest> requests = requests(c, maxNew, 50 + seed);
      // Wider than every step's candidate count (at most 5^3 live beams x 6 tokens).
      List<TokenSequence> out = new SequenceGenerator(d, EOS, alpha)
          .generate(IMAGES, requests, SamplerSpec.beam(800), new SplittableRandom(1));
      for (int i = 0; i < requests.size(); i++) {
        Best best = bruteForce(d, requests.get(i), alpha);
        TokenSequence s = out.get(i);
        assertArrayEquals(best.tokens(), s.tokens(), "alpha " + alpha + " request " + i);
        double sum = 0;
        for (float lp : s.logProbs()) {
          sum += lp;
        }
        assertEquals(best.score(), sum / Math.pow((5.0 + s.length()) / 6, alpha), 1e-4);
        assertTrue(c.accepts(s.tokens()));
      }
    }
  }

  @Test
  void aWideBeamFindsTheMostLikelyResponse() {
    assertBeamFindsTheBest(0, TestConstraints.always(TokenSet.of(new TokenRange(1, VOCAB))), 4);
  }

  @Test
  void aWideBeamFindsTheBestLengthNormalisedResponse() {
    assertBeamFindsTheBest(1, TestConstraints.always(TokenSet.of(new TokenRange(1, VOCAB))), 4);
  }

  @Test
  void aWideBeamFindsTheBestResponseUnderAConstraint() {
    assertBeamFindsTheBest(0, TestConstraints.evenThenEos(VOCAB, 2, 3), 5);
    assertBeamFindsTheBest(0.6, TestConstraints.evenThenEos(VOCAB, 1, 4), 5);
  }

  @Test
  void beamsAreSessionRowsThatShrinkAsRequestsFinish() {
    FakeDecoder d = new FakeDecoder(VOCAB, 32, FakeDecoder.random(9, VOCAB, 1));
    SequenceConstraint noEos = TestConstraints.always(TokenSet.of(new TokenRange(2, VOCAB)));
    List<GenerationRequest> requests = List.of(
        new GenerationRequest(0, new int[] {2}, noEos, 2),
        new GenerationRequest(1, new int[] {3}, noEos, 4));
    List<TokenSequence> out = new SequenceGenerator(d, EOS)
        .generate(IMAGES, requests, SamplerSpec.beam(3), new SplittableRandom(1));
    assertEquals(2, out.get(0).length());
    assertEquals(4, out.get(1).length());
    // Prompts (one row each), then 3 beams each, then only the longer request's beams.
    assertEquals(List.of(2, 6, 3, 3), d.rowsPerFeed);
    assertEquals(1, d.closed);
  }
}
