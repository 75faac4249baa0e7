package dev.pix2seq.backend.contract;

import dev.pix2seq.api.task.ConstraintState;
import dev.pix2seq.api.task.SequenceConstraint;
import dev.pix2seq.api.vocab.TokenRange;
import dev.pix2seq.api.vocab.TokenSet;

/**
 * A test grammar shaped like a task's: responses alternate between two token ranges (as a
 * detection response alternates coordinates and classes), {@code even} at positions 0, 2, 4,
 * ..., {@code odd} or {@code eos} at positions 1, 3, 5, ...; after {@code eos} only {@code eos}.
 * Legal subsets are far smaller than the vocabulary, so an unconstrained model would break it.
 *
 * @param even tokens legal at even positions
 * @param odd tokens legal at odd positions, besides {@code eos}
 * @param eos the token that ends a response
 */
public record AlternatingRangeConstraint(TokenRange even, TokenRange odd, int eos)
    implements SequenceConstraint {

  public AlternatingRangeConstraint {
    if (even == null || odd == null || even.size() == 0 || odd.size() == 0) {
      throw new IllegalArgumentException("both ranges must hold at least one token");
    }
    if (eos < 0 || even.contains(eos)) {
      throw new IllegalArgumentException(
          "eos must be >= 0 and outside the even range " + even + ", found " + eos);
    }
  }

  @Override
  public ConstraintState start() {
    return new Position(this, 0, false);
  }

  /** The state after {@code length} response tokens; {@code ended} once EOS was emitted. */
  private record Position(AlternatingRangeConstraint grammar, int length, boolean ended)
      implements ConstraintState {

    @Override
    public TokenSet allowed() {
      if (ended) {
        return TokenSet.ofTokens(grammar.eos);
      }
      return length % 2 == 0
          ? TokenSet.of(grammar.even)
          : TokenSet.of(grammar.odd).union(TokenSet.ofTokens(grammar.eos));
    }

    @Override
    public ConstraintState advance(int token) {
      if (!allowed().contains(token)) {
        throw new IllegalArgumentException(
            "token " + token + " is not legal after " + length + " response tokens; allowed: "
                + allowed());
      }
      return new Position(grammar, length + 1, ended || token == grammar.eos);
    }
  }
}
