package dev.pix2seq.tasks.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.task.ConstraintState;
import dev.pix2seq.api.task.SequenceConstraint;
import dev.pix2seq.api.vocab.TokenRange;
import dev.pix2seq.api.vocab.TokenSet;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Walks a constraint with random legal choices, as a sampler would, checking on the way that no
 * state offers an empty set.
 */
public final class ConstraintWalker {

  private ConstraintWalker() {}

  /**
   * A response produced by random legal choices until EOS (or {@code limit} tokens). At each
   * step EOS is taken with probability {@code stopBias} when legal; otherwise one of the other
   * legal ranges is picked uniformly, then a token inside it.
   */
  public static int[] walk(
      SequenceConstraint constraint, int eos, int limit, double stopBias, RandomGenerator rng) {
    List<Integer> out = new ArrayList<>();
    ConstraintState s = constraint.start();
    while (out.size() < limit) {
      TokenSet allowed = s.allowed();
      assertFalse(allowed.isEmpty(), () -> "empty token set after " + out);
      int token = choose(allowed, eos, stopBias, rng);
      assertTrue(allowed.contains(token));
      out.add(token);
      s = s.advance(token);
      if (token == eos) {
        break;
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int choose(TokenSet allowed, int eos, double stopBias, RandomGenerator rng) {
    boolean eosLegal = allowed.contains(eos);
    List<TokenRange> others = new ArrayList<>();
    for (TokenRange r : allowed.ranges()) {
      if (r.contains(eos)) {
        if (r.start() < eos) {
          others.add(new TokenRange(r.start(), eos));
        }
        if (eos + 1 < r.end()) {
          others.add(new TokenRange(eos + 1, r.end()));
        }
      } else {
        others.add(r);
      }
    }
    if (eosLegal && (others.isEmpty() || rng.nextDouble() < stopBias)) {
      return eos;
    }
    TokenRange r = others.get(rng.nextInt(others.size()));
    return r.start() + rng.nextInt(r.size());
  }
}
