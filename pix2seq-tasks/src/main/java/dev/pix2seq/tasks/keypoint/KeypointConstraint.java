package dev.pix2seq.tasks.keypoint;

import dev.pix2seq.api.task.ConstraintState;
import dev.pix2seq.api.task.SequenceConstraint;
import dev.pix2seq.api.vocab.TokenSet;
import dev.pix2seq.tokenizer.Vocabulary;

/**
 * Legal keypoint responses for a schema of {@code count} keypoints: per keypoint two coordinates
 * or (when allowed) two INVISIBLE, then EOS; after EOS only EOS.
 */
final class KeypointConstraint implements SequenceConstraint {

  private final TokenSet coords;
  private final TokenSet firstOfPair;
  private final TokenSet invisible;
  private final TokenSet eos;
  private final int invisibleToken;
  private final int count;

  KeypointConstraint(Vocabulary vocab, int count, boolean invisibleAllowed) {
    this.invisibleToken = vocab.layout().invisible();
    this.coords = TokenSet.of(vocab.layout().coordRange());
    this.invisible = TokenSet.ofTokens(invisibleToken);
    this.firstOfPair = invisibleAllowed ? coords.union(invisible) : coords;
    this.eos = TokenSet.ofTokens(vocab.layout().eos());
    this.count = count;
  }

  @Override
  public ConstraintState start() {
    return new State(this, 0, false, false, false);
  }

  /**
   * @param owner the constraint whose token sets apply
   * @param keypoint complete keypoints so far
   * @param second whether the first token of the current pair was emitted
   * @param invisiblePair whether that first token was INVISIBLE
   * @param finished whether EOS was emitted
   */
  private record State(
      KeypointConstraint owner, int keypoint, boolean second, boolean invisiblePair,
      boolean finished)
      implements ConstraintState {

    @Override
    public TokenSet allowed() {
      if (finished || keypoint == owner.count) {
        return owner.eos;
      }
      if (second) {
        return invisiblePair ? owner.invisible : owner.coords;
      }
      return owner.firstOfPair;
    }

    @Override
    public ConstraintState advance(int token) {
      if (!allowed().contains(token)) {
        throw new IllegalArgumentException(
            "keypoint: token " + token + " is not allowed at keypoint " + keypoint + " of "
                + owner.count + (second ? " (second token)" : "")
                + (finished ? " (finished)" : "") + "; allowed " + allowed());
      }
      if (finished || keypoint == owner.count) {
        return new State(owner, keypoint, false, false, true);
      }
      if (second) {
        return new State(owner, keypoint + 1, false, false, false);
      }
      return new State(owner, keypoint, true, token == owner.invisibleToken, false);
    }
  }
}
