package dev.pix2seq.tasks.describe;

import dev.pix2seq.api.task.ConstraintState;
import dev.pix2seq.api.task.SequenceConstraint;
import dev.pix2seq.api.vocab.TokenSet;
import dev.pix2seq.tokenizer.Vocabulary;

/**
 * Legal captions: text tokens, EOS once at least one was emitted, nothing but EOS after {@code
 * maxTokens} text tokens; after EOS only EOS.
 */
final class CaptionConstraint implements SequenceConstraint {

  private final TokenSet text;
  private final TokenSet textOrEos;
  private final TokenSet eos;
  private final int eosToken;
  private final int maxTokens;

  CaptionConstraint(Vocabulary vocab, int maxTokens) {
    this.eosToken = vocab.layout().eos();
    this.text = TokenSet.of(vocab.textRange());
    this.eos = TokenSet.ofTokens(eosToken);
    this.textOrEos = text.union(eos);
    this.maxTokens = maxTokens;
  }

  @Override
  public ConstraintState start() {
    return new State(this, 0, false);
  }

  /**
   * @param owner the constraint whose token sets apply
   * @param tokens text tokens so far
   * @param finished whether EOS was emitted
   */
  private record State(CaptionConstraint owner, int tokens, boolean finished)
      implements ConstraintState {

    @Override
    public TokenSet allowed() {
      if (finished || tokens >= owner.maxTokens) {
        return owner.eos;
      }
      return tokens == 0 ? owner.text : owner.textOrEos;
    }

    @Override
    public ConstraintState advance(int token) {
      if (!allowed().contains(token)) {
        throw new IllegalArgumentException(
            "describe: token " + token + " is not allowed after " + tokens + " text tokens"
                + (finished ? " (finished)" : "") + "; allowed " + allowed());
      }
      if (finished || token == owner.eosToken) {
        return new State(owner, tokens, true);
      }
      return new State(owner, tokens + 1, false);
    }
  }
}
