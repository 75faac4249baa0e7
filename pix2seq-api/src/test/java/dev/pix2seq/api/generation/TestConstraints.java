package dev.pix2seq.api.generation;

import dev.pix2seq.api.task.ConstraintState;
import dev.pix2seq.api.task.SequenceConstraint;
import dev.pix2seq.api.vocab.TokenRange;
import dev.pix2seq.api.vocab.TokenSet;
import java.util.ArrayList;
import java.util.List;

/** Small constraints for generator tests. */
final class TestConstraints {
  static final int EOS = 1;

  private TestConstraints() {}

  /** The same tokens at every step. */
  static SequenceConstraint always(TokenSet allowed) {
    return () -> new Fixed(allowed);
  }

  /**
   * Even tokens from 2 below {@code vocabSize}; EOS also allowed from step {@code firstEos}; only
   * EOS at step {@code length} and after.
   */
  static SequenceConstraint evenThenEos(int vocabSize, int firstEos, int length) {
    return () -> new EvenStep(0, vocabSize, firstEos, length);
  }

  private record Fixed(TokenSet allowed) implements ConstraintState {
    @Override
    public ConstraintState advance(int token) {
      if (!allowed.contains(token)) {
        throw new IllegalArgumentException("token " + token + " not in " + allowed);
      }
      return this;
    }
  }

  private record EvenStep(int step, int vocabSize, int firstEos, int length)
      implements ConstraintState {
    @Override
    public TokenSet allowed() {
      if (step >= length) {
        return TokenSet.ofTokens(EOS);
      }
      List<TokenRange> ranges = new ArrayList<>();
      for (int t = 2; t < vocabSize; t += 2) {
        ranges.add(TokenRange.single(t));
      }
      if (step >= firstEos) {
        ranges.add(TokenRange.single(EOS));
      }
      return TokenSet.of(ranges);
    }

    @Override
    public ConstraintState advance(int token) {
      if (!allowed().contains(token)) {
        throw new IllegalArgumentException("token " + token + " not allowed at step " + step);
      }
      return new EvenStep(step + 1, vocabSize, firstEos, length);
    }
  }
}
