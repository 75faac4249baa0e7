package dev.pix2seq.api.task;

import dev.pix2seq.api.vocab.TokenSet;

/**
 * One immutable state of a decoding constraint. Generation masks every logit outside
 * {@link #allowed()} before sampling, then moves on with {@link #advance(int)}. States are
 * values, so beam search may keep several successors of one state.
 */
public interface ConstraintState {

  /** Tokens legal next; never empty (a finished sequence allows EOS). */
  TokenSet allowed();

  /**
   * The state after emitting {@code token}.
   *
   * @throws IllegalArgumentException if {@code token} is not in {@link #allowed()}
   */
  ConstraintState advance(int token);
}
