package dev.pix2seq.tasks.detect;

import dev.pix2seq.api.task.ConstraintState;
import dev.pix2seq.api.task.SequenceConstraint;
import dev.pix2seq.api.vocab.TokenSet;
import dev.pix2seq.tokenizer.Vocabulary;

/**
 * Legal detection responses: objects of four coordinates and a class token (a used class or
 * FAKE), EOS only at an object boundary, at most {@code maxObjects} objects; after EOS only EOS.
 */
final class DetectionConstraint implements SequenceConstraint {

  private final TokenSet coords;
  private final TokenSet coordsOrEos;
  private final TokenSet classes;
  private final TokenSet eos;
  private final int eosToken;
  private final int maxObjects;

  DetectionConstraint(Vocabulary vocab, int maxObjects) {
    this.eosToken = vocab.layout().eos();
    this.coords = TokenSet.of(vocab.layout().coordRange());
    this.eos = TokenSet.ofTokens(eosToken);
    this.coordsOrEos = coords.union(eos);
    this.classes =
        TokenSet.of(vocab.usedClassRange()).union(TokenSet.ofTokens(vocab.layout().fake()));
    this.maxObjects = maxObjects;
  }

  @Override
  public ConstraintState start() {
    return new State(this, 0, 0, false);
  }

  /**
   * @param owner the constraint whose token sets apply
   * @param objects complete objects so far
   * @param position tokens of the current object so far (0..4)
   * @param finished whether EOS was emitted
   */
  private record State(DetectionConstraint owner, int objects, int position, boolean finished)
      implements ConstraintState {

    @Override
    public TokenSet allowed() {
      if (finished) {
        return owner.eos;
      }
      return switch (position) {
        case 0 -> objects < owner.maxObjects ? owner.coordsOrEos : owner.eos;
        case DetectionCodec.CLASS_POSITION -> owner.classes;
        default -> owner.coords;
      };
    }

    @Override
    public ConstraintState advance(int token) {
      if (!allowed().contains(token)) {
        throw new IllegalArgumentException(
            "detect: token " + token + " is not allowed at object " + objects + " position "
                + position + (finished ? " (finished)" : "") + "; allowed " + allowed());
      }
      if (finished || token == owner.eosToken && position == 0) {
        return new State(owner, objects, 0, true);
      }
      if (position == DetectionCodec.CLASS_POSITION) {
        return new State(owner, objects + 1, 0, false);
      }
      return new State(owner, objects, position + 1, false);
    }
  }
}
