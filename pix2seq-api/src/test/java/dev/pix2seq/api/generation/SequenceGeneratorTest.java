package dev.pix2seq.api.generation;

import static dev.pix2seq.api.generation.TestConstraints.EOS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

class SequenceGeneratorTest {
  private static final int VOCAB = 24;
  private static final float NEG = Float.NEGATIVE_INFINITY;
  private static final ImageFeatures FOUR_IMAGES = new FakeDecoder.Features(4);
  private static final SequenceConstraint ANY_BUT_PAD =
      TestConstraints.always(TokenSet.of(new TokenRange(1, VOCAB)));
  private static final SequenceConstraint NEVER_EOS =
      TestConstraints.always(TokenSet.of(new TokenRange(2, VOCAB)));

  private static FakeDecoder randomDecoder(long seed) {
    return new FakeDecoder(VOCAB, 64, FakeDecoder.random(seed, VOCAB, 2));
  }

  private static List<GenerationRequest> randomRequests(int n, SequenceConstraint c, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<GenerationRequest> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] prompt = r.ints(1 + r.nextInt(4), 2, VOCAB).toArray();
      out.add(new GenerationRequest(r.nextInt(4), prompt, c, 1 + r.nextInt(12)));
    }
    return out;
  }

  /** Greedy by hand: the largest legal logit, log-softmax over the legal logits. */
  private static TokenSequence referenceGreedy(FakeDecoder d, GenerationRequest q) {
    List<Integer> tokens = new ArrayList<>();
    List<Float> logProbs = new ArrayList<>();
    ConstraintState s = q.constraint().start();
    int[] prefix = q.prompt();
    while (tokens.size() < q.maxNewTokens()) {
      float[] l = d.function.logits(q.image(), prefix);
      double[] lp = legalLogSoftmax(l, s.allowed());
      int best = -1;
      for (int t = 0; t < l.length; t++) {
        if (s.allowed().contains(t) && (best < 0 || l[t] > l[best])) {
          best = t;
        }
      }
      tokens.add(best);
      logProbs.add((float) lp[best]);
      s = s.advance(best);
      prefix = append(prefix, best);
      if (best == EOS) {
        break;
      }
    }
    float[] lps = new float[logProbs.size()];
    for (int i = 0; i < lps.length; i++) {
      lps[i] = logProbs.get(i);
    }
    return new TokenSequence(tokens.stream().mapToInt(Integer::intValue).toArray(), lps);
  }

  /** Log-softmax over the allowed entries, written out plainly; NaN for illegal entries. */
  private static double[] legalLogSoftmax(float[] logits, TokenSet allowed) {
    double sum = 0;
    for (int t = 0; t < logits.length; t++) {
      if (allowed.contains(t)) {
        sum += Math.exp(logits[t]);
      }
    }
    double[] out = new double[logits.length];
    for (int t = 0; t < logits.length; t++) {
      out[t] = allowed.contains(t) ? logits[t] - Math.log(sum) : Double.NaN;
    }
    return out;
  }

  private static int[] append(int[] a, int t) {
    int[] b = Arrays.copyOf(a, a.length + 1);
    b[a.length] = t;
    return b;
  }

  private static void assertSameTokensCloseLogProbs(TokenSequence expected, TokenSequence actual) {
    assertArrayEquals(expected.tokens(), actual.tokens());
    for (int i = 0; i < expected.length(); i++) {
      assertEquals(expected.logProbs()[i], actual.logProbs()[i], 1e-5, "log prob of token " + i);
    }
  }

  @Test
  void greedyPicksTheLargestLegalLogitWithItsLegalLogSoftmax() {
    FakeDecoder d = randomDecoder(1);
    SequenceConstraint even = TestConstraints.evenThenEos(VOCAB, 2, 6);
    List<GenerationRequest> requests = randomRequests(30, even, 2);
    List<TokenSequence> out =
        new SequenceGenerator(d, EOS).generate(
            FOUR_IMAGES, requests, SamplerSpec.greedy(), new SplittableRandom(3));
    assertEquals(requests.size(), out.size());
    for (int i = 0; i < out.size(); i++) {
      assertSameTokensCloseLogProbs(referenceGreedy(d, requests.get(i)), out.get(i));
    }
    assertEquals(1, d.opened);
    assertEquals(1, d.closed);
  }

  @Test
  void logProbsAreTheLogSoftmaxOverLegalTokensWhateverTheTemperature() {
    // logits 0, ln 2, ln 7 on tokens 2, 3, 4; token 5 (illegal) would dominate.
    FakeDecoder d = new FakeDecoder(6, 64, (image, prefix) ->
        new float[] {9, 0, 0, (float) Math.log(2), (float) Math.log(7), 50});
    SequenceConstraint c = TestConstraints.always(TokenSet.of(new TokenRange(2, 5)));
    GenerationRequest q = new GenerationRequest(0, new int[] {3}, c, 40);
    for (SamplerSpec spec : List.of(SamplerSpec.temperature(5), SamplerSpec.topK(2),
        SamplerSpec.topP(0.9), SamplerSpec.greedy(), SamplerSpec.beam(2))) {
      TokenSequence s = new SequenceGenerator(d, EOS)
          .generate(FOUR_IMAGES, List.of(q), spec, new SplittableRandom(4)).get(0);
      assertEquals(40, s.length(), spec.toString());
      for (int i = 0; i < s.length(); i++) {
        double expected = Math.log(new double[] {0.1, 0.2, 0.7}[s.tokens()[i] - 2]);
        assertEquals(expected, s.logProbs()[i], 1e-6, spec + " token " + i);
      }
    }
  }

  @Test
  void everySamplerRespectsTheConstraintOverThousandsOfSequences() {
    SequenceConstraint even = TestConstraints.evenThenEos(VOCAB, 2, 5);
    List<SamplerSpec> specs = List.of(
        SamplerSpec.temperature(4), SamplerSpec.topK(3), SamplerSpec.topP(0.9),
        SamplerSpec.greedy(), new SamplerSpec(SamplerSpec.Type.TOP_P, 2.5, 0, 0.95, 1));
    SplittableRandom rng = new SplittableRandom(5);
    int checked = 0;
    for (int batch = 0; batch < 10; batch++) {
      FakeDecoder d = randomDecoder(100 + batch);
      List<GenerationRequest> requests = randomRequests(60, even, 200 + batch);
      for (SamplerSpec spec : specs) {
        for (TokenSequence s : new SequenceGenerator(d, EOS)
            .generate(FOUR_IMAGES, requests, spec, rng)) {
          assertTrue(even.accepts(s.tokens()), spec + " broke the constraint: " + s);
          assertTrue(s.length() <= 6);
          for (float lp : s.logProbs()) {
            assertTrue(lp <= 0 && lp > NEG, spec + " log prob " + lp);
          }
          checked++;
        }
      }
    }
    assertEquals(3000, checked);
  }

  @Test
  void beamResultsAreAcceptedByTheirConstraint() {
    SequenceConstraint even = TestConstraints.evenThenEos(VOCAB, 1, 5);
    for (int seed = 0; seed < 5; seed++) {
      FakeDecoder d = randomDecoder(300 + seed);
      List<GenerationRequest> requests = randomRequests(20, even, 400 + seed);
      for (int k : new int[] {2, 4}) {
        List<TokenSequence> out = new SequenceGenerator(d, EOS, 0.7)
            .generate(FOUR_IMAGES, requests, SamplerSpec.beam(k), new SplittableRandom(6));
        for (int i = 0; i < out.size(); i++) {
          TokenSequence s = out.get(i);
          assertTrue(even.accepts(s.tokens()), "beam " + k + ": " + s);
          assertTrue(s.length() >= 1 && s.length() <= requests.get(i).maxNewTokens());
          assertTrue(s.tokens()[s.length() - 1] == EOS || s.length() == requests.get(i).maxNewTokens());
        }
      }
    }
  }

  @Test
  void eosStopsARowAndFinishedRowsLeaveTheSession() {
    // Row of image i: EOS is the best token once the response holds 2 * i + 1 tokens.
    FakeDecoder d = new FakeDecoder(8, 32, (image, prefix) -> {
      float[] l = new float[8];
      l[3] = 1;
      if (prefix.length - 1 >= 2 * image + 1) {
        l[EOS] = 2;
      }
      return l;
    });
    List<GenerationRequest> requests = new ArrayList<>();
    for (int image = 0; image < 3; image++) {
      requests.add(new GenerationRequest(image, new int[] {2}, ANY_BUT_PAD, 20));
    }
    List<TokenSequence> out = new SequenceGenerator(d, EOS)
        .generate(new FakeDecoder.Features(3), requests, SamplerSpec.greedy(),
            new SplittableRandom(7));
    assertArrayEquals(new int[] {3, EOS}, out.get(0).tokens());
    assertArrayEquals(new int[] {3, 3, 3, EOS}, out.get(1).tokens());
    assertArrayEquals(new int[] {3, 3, 3, 3, 3, EOS}, out.get(2).tokens());
    // The prompt, then one feed per token except each row's last.
    assertEquals(List.of(3, 3, 2, 2, 1, 1), d.rowsPerFeed);
    assertEquals(1, d.closed);
  }

  @Test
  void maxNewTokensIsRespectedAndFinishedRowsAreDropped() {
    FakeDecoder d = randomDecoder(8);
    List<GenerationRequest> requests = List.of(
        new GenerationRequest(0, new int[] {5}, NEVER_EOS, 2),
        new GenerationRequest(1, new int[] {6}, NEVER_EOS, 5),
        new GenerationRequest(2, new int[] {7}, NEVER_EOS, 9));
    List<TokenSequence> out = new SequenceGenerator(d, EOS)
        .generate(FOUR_IMAGES, requests, SamplerSpec.temperature(2), new SplittableRandom(9));
    assertEquals(List.of(2, 5, 9), out.stream().map(TokenSequence::length).toList());
    assertEquals(List.of(3, 3, 2, 2, 2, 1, 1, 1, 1), d.rowsPerFeed);
  }

  @Test
  void maxNewTokensIsClampedToTheDecodersLength() {
    FakeDecoder d = new FakeDecoder(VOCAB, 10, FakeDecoder.random(10, VOCAB, 1));
    SequenceGenerator g = new SequenceGenerator(d, EOS);
    List<TokenSequence> out = g.generate(FOUR_IMAGES,
        List.of(new GenerationRequest(0, new int[] {2, 3, 4}, NEVER_EOS, 100),
            new GenerationRequest(1, new int[] {2, 3, 4, 5, 6, 7, 8, 9, 10}, NEVER_EOS, 100)),
        SamplerSpec.beam(3), new SplittableRandom(11));
    assertEquals(7, out.get(0).length());
    assertEquals(1, out.get(1).length());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> g.generate(FOUR_IMAGES,
            List.of(new GenerationRequest(0, new int[10], NEVER_EOS, 1)),
            SamplerSpec.greedy(), new SplittableRandom(11)));
    assertTrue(e.getMessage().contains("request 0") && e.getMessage().contains("10"),
        e.getMessage());
  }

  @Test
  void mixedPromptLengthsGiveWhatEachRequestGivesAlone() {
    FakeDecoder d = randomDecoder(12);
    SequenceConstraint even = TestConstraints.evenThenEos(VOCAB, 1, 7);
    List<GenerationRequest> requests = List.of(
        new GenerationRequest(0, new int[] {2, 4, 6}, even, 8),
        new GenerationRequest(1, new int[] {3}, even, 8),
        new GenerationRequest(2, new int[] {5, 7, 9, 11, 13, 15}, even, 3),
        new GenerationRequest(0, new int[] {8, 10}, ANY_BUT_PAD, 10));
    SequenceGenerator g = new SequenceGenerator(d, EOS);
    for (SamplerSpec spec : List.of(SamplerSpec.greedy(), SamplerSpec.beam(3),
        SamplerSpec.temperature(3), SamplerSpec.topP(0.8))) {
      List<TokenSequence> batch = g.generate(FOUR_IMAGES, requests, spec,
          new SplittableRandom(13));
      for (int i = 0; i < requests.size(); i++) {
        // Each request samples from the i-th seed drawn from the caller's generator.
        SplittableRandom rng = new SplittableRandom(13);
        for (int skip = 0; skip < i; skip++) {
          rng.nextLong();
        }
        TokenSequence alone = g.generate(FOUR_IMAGES, List.of(requests.get(i)), spec, rng).get(0);
        assertEquals(alone, batch.get(i), spec + " request " + i);
      }
    }
  }

  @Test
  void topKAndTopPDrawOnlyFromTheirSets() {
    FakeDecoder d = randomDecoder(14);
    SequenceConstraint c = TestConstraints.evenThenEos(VOCAB, 3, 6);
    List<GenerationRequest> requests = randomRequests(200, c, 15);
    SequenceGenerator g = new SequenceGenerator(d, EOS);
    SplittableRandom rng = new SplittableRandom(16);
    List<TokenSequence> topK = g.generate(FOUR_IMAGES, requests, SamplerSpec.topK(2), rng);
    List<TokenSequence> topP = g.generate(FOUR_IMAGES, requests,
        new SamplerSpec(SamplerSpec.Type.TOP_P, 2, 0, 0.5, 1), rng);
    int tokensChecked = 0;
    for (int i = 0; i < requests.size(); i++) {
      GenerationRequest q = requests.get(i);
      tokensChecked += walk(d, q, topK.get(i), (logits, allowed, token) -> {
        int larger = 0;
        for (int t = 0; t < logits.length; t++) {
          larger += allowed.contains(t) && logits[t] > logits[token] ? 1 : 0;
        }
        assertTrue(larger < 2, "top-2 chose a token with " + larger + " larger legal logits");
      });
      walk(d, q, topP.get(i), (logits, allowed, token) -> {
        // The nucleus at temperature 2: tokens whose strictly more likely legal tokens hold
        // less than p = 0.5 of the mass.
        double z = 0;
        double before = 0;
        for (int t = 0; t < logits.length; t++) {
          if (allowed.contains(t)) {
            double w = Math.exp(logits[t] / 2.0);
            z += w;
            before += logits[t] > logits[token] ? w : 0;
          }
        }
        assertTrue(before / z < 0.5, "top-p 0.5 chose a token after mass " + before / z);
      });
    }
    assertTrue(tokensChecked > 500, "checked " + tokensChecked);
  }

  @FunctionalInterface
  private interface StepCheck {
    void check(float[] logits, TokenSet allowed, int token);
  }

  private static int walk(FakeDecoder d, GenerationRequest q, TokenSequence s, StepCheck check) {
    ConstraintState state = q.constraint().start();
    int[] prefix = q.prompt();
    for (int token : s.tokens()) {
      check.check(d.function.logits(q.image(), prefix), state.allowed(), token);
      state = state.advance(token);
      prefix = append(prefix, token);
    }
    return s.length();
  }

  @Test
  void sameSeedSameOutputAndOtherSeedsDiffer() {
    FakeDecoder d = randomDecoder(17);
    List<GenerationRequest> requests = randomRequests(40, ANY_BUT_PAD, 18);
    SequenceGenerator g = new SequenceGenerator(d, EOS);
    SamplerSpec spec = SamplerSpec.temperature(3);
    List<TokenSequence> a = g.generate(FOUR_IMAGES, requests, spec, new SplittableRandom(19));
    List<TokenSequence> b = g.generate(FOUR_IMAGES, requests, spec, new SplittableRandom(19));
    List<TokenSequence> c = g.generate(FOUR_IMAGES, requests, spec, new SplittableRandom(20));
    assertEquals(a, b);
    assertNotEquals(a, c);
  }

  @Test
  void beamSizeOneEqualsGreedy() {
    for (int seed = 0; seed < 5; seed++) {
      FakeDecoder d = randomDecoder(500 + seed);
      List<GenerationRequest> requests =
          randomRequests(30, TestConstraints.evenThenEos(VOCAB, 1, 8), 600 + seed);
      SequenceGenerator g = new SequenceGenerator(d, EOS);
      assertEquals(
          g.generate(FOUR_IMAGES, requests, SamplerSpec.greedy(), new SplittableRandom(1)),
          g.generate(FOUR_IMAGES, requests, SamplerSpec.beam(1), new SplittableRandom(2)));
    }
  }

  @Test
  void oddLogitsNeverThrowAndStayLegal() {
    SequenceConstraint c = TestConstraints.always(TokenSet.of(new TokenRange(4, 8)));
    GenerationRequest q = new GenerationRequest(0, new int[] {2}, c, 3);
    float nan = Float.NaN;
    float inf = Float.POSITIVE_INFINITY;
    // All NaN: every legal token equally likely, greedy takes the lowest.
    assertResponse(new float[] {nan, nan, nan, nan, nan, nan, nan, nan, nan, nan},
        q, new int[] {4, 4, 4}, Math.log(0.25));
    // Only illegal tokens finite: uniform over the legal ones.
    assertResponse(new float[] {5, 5, 5, 5, NEG, NEG, nan, NEG, 5, 5},
        q, new int[] {4, 4, 4}, Math.log(0.25));
    // Two legal +inf: they share the mass.
    assertResponse(new float[] {inf, 0, 0, 0, 1, inf, 2, inf, inf, 0},
        q, new int[] {5, 5, 5}, Math.log(0.5));
    // NaN next to finite logits counts as impossible.
    assertResponse(new float[] {0, 0, 0, 0, nan, 3, nan, 3, 0, 0},
        q, new int[] {5, 5, 5}, Math.log(0.5));
  }

  private static void assertResponse(float[] logits, GenerationRequest q, int[] tokens,
      double logProb) {
    FakeDecoder d = new FakeDecoder(logits.length, 16, (image, prefix) -> logits.clone());
    for (SamplerSpec spec : List.of(SamplerSpec.greedy(), SamplerSpec.beam(3),
        SamplerSpec.topP(0.3), SamplerSpec.temperature(0.5))) {
      TokenSequence s = new SequenceGenerator(d, EOS)
          .generate(FOUR_IMAGES, List.of(q), spec, new SplittableRandom(21)).get(0);
      assertTrue(q.constraint().accepts(s.tokens()), spec + ": " + s);
      for (float lp : s.logProbs()) {
        assertEquals(logProb, lp, 1e-6, spec.toString());
      }
      if (spec.type() == SamplerSpec.Type.GREEDY) {
        assertArrayEquals(tokens, s.tokens());
      }
    }
  }

  @Test
  void aConstraintOutsideTheVocabularyFailsClearlyAndClosesTheSession() {
    FakeDecoder d = randomDecoder(22);
    SequenceConstraint outside = TestConstraints.always(TokenSet.of(new TokenRange(100, 200)));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new SequenceGenerator(d, EOS).generate(FOUR_IMAGES,
            List.of(new GenerationRequest(0, new int[] {2}, ANY_BUT_PAD, 5),
                new GenerationRequest(1, new int[] {2}, outside, 5)),
            SamplerSpec.greedy(), new SplittableRandom(23)));
    assertTrue(e.getMessage().contains("request 1") && e.getMessage().contains("100..199"),
        e.getMessage());
    assertEquals(1, d.opened);
    assertEquals(1, d.closed);
  }

  @Test
  void theSessionIsClosedWhenAConstraintThrows() {
    FakeDecoder d = randomDecoder(24);
    SequenceConstraint broken = () -> new ConstraintState() {
      @Override
      public TokenSet allowed() {
        throw new ArithmeticException("broken constraint");
      }

      @Override
      public ConstraintState advance(int token) {
        return this;
      }
    };
    assertThrows(ArithmeticException.class, () -> new SequenceGenerator(d, EOS).generate(
        FOUR_IMAGES, List.of(new GenerationRequest(0, new int[] {2}, broken, 5)),
        SamplerSpec.beam(2), new SplittableRandom(25)));
    assertEquals(1, d.closed);
  }

  @Test
  void badArgumentsAreRejected() {
    FakeDecoder d = randomDecoder(26);
    SequenceGenerator g = new SequenceGenerator(d, EOS);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> g.generate(FOUR_IMAGES, List.of(new GenerationRequest(4, new int[] {2},
            ANY_BUT_PAD, 3)), SamplerSpec.greedy(), new SplittableRandom(1)));
    assertTrue(e.getMessage().contains("image 4"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new SequenceGenerator(d, -1));
    assertThrows(IllegalArgumentException.class, () -> new SequenceGenerator(d, EOS, -0.5));
    assertThrows(IllegalArgumentException.class,
        () -> new SequenceGenerator(d, EOS, Double.NaN));
    assertEquals(0, d.opened);
  }

  @Test
  void noRequestsOpenNoSession() {
    FakeDecoder d = randomDecoder(27);
    assertEquals(List.of(), new SequenceGenerator(d, EOS)
        .generate(FOUR_IMAGES, List.of(), SamplerSpec.greedy(), new SplittableRandom(1)));
    assertEquals(0, d.opened);
  }
}
