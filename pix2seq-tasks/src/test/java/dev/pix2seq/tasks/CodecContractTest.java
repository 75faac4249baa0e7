package dev.pix2seq.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pix2seq.api.task.ConstraintState;
import dev.pix2seq.api.task.SequenceConstraint;
import dev.pix2seq.api.task.TaskCodec;
import dev.pix2seq.api.task.TrainingSequence;
import dev.pix2seq.api.value.TokenSequence;
import dev.pix2seq.tasks.testing.ConstraintWalker;
import dev.pix2seq.tasks.testing.RandomResponses;
import dev.pix2seq.tokenizer.Vocabulary;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * The contract every task codec meets, written once and run for each codec by a subclass:
 * training targets round-trip through decode and satisfy the codec's own constraint; decode never
 * throws; constraint walks never meet an empty token set, end with EOS within the length limit and
 * decode to a well-formed result.
 *
 * @param <A> annotation
 * @param <Q> request
 * @param <R> result
 */
public abstract class CodecContractTest<A, Q, R> {

  /** Random sequences the never-throws test decodes. */
  protected static final int FUZZ_SEQUENCES = 100_000;

  protected abstract Vocabulary vocab();

  protected abstract TaskCodec<A, Q, R> codec();

  /** A random annotation the codec can train on. */
  protected abstract A randomAnnotation(RandomGenerator rng);

  /** A random request as inference would make it. */
  protected abstract Q randomInferenceRequest(RandomGenerator rng);

  /** Asserts {@code decoded}, decoded from the target of {@code annotation}, matches it. */
  protected abstract void assertRoundTrip(A annotation, R decoded);

  /** Asserts the result of decoding a response walked through the constraint is well formed. */
  protected abstract void assertWellFormed(Q request, int[] response, R decoded);

  /** Asserts invariants any decoded result holds, whatever the tokens (scores, ranges). */
  protected abstract void assertSane(R decoded);

  /** Tolerance of a round-tripped coordinate: one quantisation bin. */
  protected double oneBin() {
    return vocab().quantizer().binWidth() + 1e-9;
  }

  @Test
  void trainingTargetDecodesToTheAnnotation() {
    RandomGenerator rng = new SplittableRandom(11);
    for (int i = 0; i < 300; i++) {
      A a = randomAnnotation(rng);
      TrainingSequence ts = codec().trainingSequence(a, rng);
      R decoded = codec().decode(codec().requestFor(a), TokenSequence.of(ts.target()));
      assertRoundTrip(a, decoded);
    }
  }

  @Test
  void everyTrainingTargetIsAcceptedByTheConstraint() {
    for (int seed = 0; seed < 1000; seed++) {
      RandomGenerator rng = new SplittableRandom(seed);
      A a = randomAnnotation(rng);
      TrainingSequence ts = codec().trainingSequence(a, rng);
      Q q = codec().requestFor(a);
      int[] target = ts.target();
      assertTrue(codec().constraint(q).accepts(target), () -> "rejected " + ts);
      assertTrue(target.length <= codec().maxResponseLength(),
          () -> target.length + " > " + codec().maxResponseLength());
      assertEquals(vocab().layout().eos(), target[target.length - 1]);
      assertArrayEquals(codec().prompt(q), ts.prompt());
      for (float w : ts.weights()) {
        assertTrue(w >= 0 && Float.isFinite(w), "weight " + w);
      }
    }
  }

  @Test
  void trainingSequenceIsDeterministicGivenTheSeed() {
    A a = randomAnnotation(new SplittableRandom(5));
    TrainingSequence first = codec().trainingSequence(a, new SplittableRandom(42));
    TrainingSequence second = codec().trainingSequence(a, new SplittableRandom(42));
    assertEquals(first, second);
  }

  @Test
  void promptStartsWithTheTaskToken() {
    Q q = randomInferenceRequest(new SplittableRandom(3));
    assertEquals(vocab().taskToken(codec().name()), codec().prompt(q)[0]);
  }

  @Test
  void decodeSurvivesRandomSequences() {
    RandomGenerator rng = new SplittableRandom(2024);
    int maxLength = codec().maxResponseLength() + 10;
    int[][] valid = new int[64][];
    for (int i = 0; i < valid.length; i++) {
      valid[i] = codec().trainingSequence(randomAnnotation(rng), rng).target();
    }
    for (int i = 0; i < FUZZ_SEQUENCES; i++) {
      int[] tokens = switch (i % 3) {
        case 0 -> RandomResponses.uniform(vocab(), maxLength, rng);
        case 1 -> RandomResponses.structured(vocab(), maxLength, rng);
        default -> RandomResponses.mutated(valid[rng.nextInt(valid.length)], vocab(), rng);
      };
      TokenSequence response = RandomResponses.withLogProbs(tokens, rng);
      Q q = randomInferenceRequest(rng);
      R decoded;
      try {
        decoded = codec().decode(q, response);
      } catch (RuntimeException e) {
        throw new AssertionError("decode threw on " + response + " for " + q, e);
      }
      assertNotNull(decoded);
      assertSane(decoded);
    }
  }

  @Test
  void constraintWalksEndWithEosAndDecodeWellFormed() {
    RandomGenerator rng = new SplittableRandom(99);
    double[] stopBiases = {0, 0.02, 0.2, 0.7};
    int eos = vocab().layout().eos();
    for (int i = 0; i < 2000; i++) {
      Q q = randomInferenceRequest(rng);
      int[] response = ConstraintWalker.walk(
          codec().constraint(q), eos, codec().maxResponseLength(),
          stopBiases[i % stopBiases.length], rng);
      assertTrue(response.length > 0 && response[response.length - 1] == eos,
          "walk must end with EOS within maxResponseLength, got " + response.length + " tokens");
      assertTrue(codec().constraint(q).accepts(response));
      R decoded = codec().decode(q, RandomResponses.withLogProbs(response, rng));
      assertSane(decoded);
      assertWellFormed(q, response, decoded);
    }
  }

  @Test
  void finishedStateOffersOnlyEos() {
    RandomGenerator rng = new SplittableRandom(8);
    int eos = vocab().layout().eos();
    Q q = randomInferenceRequest(rng);
    SequenceConstraint c = codec().constraint(q);
    int[] response = ConstraintWalker.walk(c, eos, codec().maxResponseLength(), 0.3, rng);
    ConstraintState s = c.start();
    for (int t : response) {
      s = s.advance(t);
    }
    assertEquals(1, s.allowed().size());
    assertTrue(s.allowed().contains(eos));
    assertEquals(s.allowed(), s.advance(eos).allowed());
  }

  @Test
  void advanceRejectsTokensOutsideTheAllowedSet() {
    RandomGenerator rng = new SplittableRandom(17);
    ConstraintState s = codec().constraint(randomInferenceRequest(rng)).start();
    int checked = 0;
    for (int token = -3; token < vocab().size() + 3 && checked < 200; token += 7) {
      if (!s.allowed().contains(token)) {
        ConstraintState from = s;
        int t = token;
        assertThrows(IllegalArgumentException.class, () -> from.advance(t));
        checked++;
      }
    }
    if (checked == 0) {
      fail("the start state allows every token");
    }
  }
}
