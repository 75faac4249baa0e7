package dev.pix2seq.tasks.segment;

import dev.pix2seq.api.task.ConstraintState;
import dev.pix2seq.api.task.SequenceConstraint;
import dev.pix2seq.api.value.Polygon;
import dev.pix2seq.api.vocab.TokenSet;
import dev.pix2seq.tokenizer.Vocabulary;

/**
 * Legal segmentation responses: coordinates in {@code y x} pairs; SEP or EOS only after a
 * complete polygon of at least 3 vertices; SEP only while 3 more vertices fit the budget; no
 * vertex beyond {@code maxPoints}; after EOS only EOS.
 */
final class SegmentationConstraint implements SequenceConstraint {

  private final TokenSet coords;
  private final TokenSet eos;
  private final TokenSet coordsSepEos;
  private final TokenSet coordsEos;
  private final TokenSet sepEos;
  private final int sepToken;
  private final int eosToken;
  private final int maxPoints;

  SegmentationConstraint(Vocabulary vocab, int maxPoints) {
    this.sepToken = vocab.layout().sep();
    this.eosToken = vocab.layout().eos();
    this.coords = TokenSet.of(vocab.layout().coordRange());
    this.eos = TokenSet.ofTokens(eosToken);
    this.coordsEos = coords.union(eos);
    this.sepEos = TokenSet.ofTokens(sepToken, eosToken);
    this.coordsSepEos = coords.union(sepEos);
    this.maxPoints = maxPoints;
  }

  @Override
  public ConstraintState start() {
    return new State(this, 0, 0, false, false);
  }

  /**
   * @param owner the constraint whose token sets apply
   * @param points complete vertices so far, all polygons
   * @param polygonPoints complete vertices of the current polygon
   * @param expectX whether the y of a vertex was emitted and its x is next
   * @param finished whether EOS was emitted
   */
  private record State(
      SegmentationConstraint owner, int points, int polygonPoints, boolean expectX,
      boolean finished)
      implements ConstraintState {

    @Override
    public TokenSet allowed() {
      if (finished) {
        return owner.eos;
      }
      if (expectX || polygonPoints < Polygon.MIN_POINTS) {
        return owner.coords;
      }
      boolean morePoints = points < owner.maxPoints;
      boolean newPolygon = points + Polygon.MIN_POINTS <= owner.maxPoints;
      if (newPolygon) {
        return owner.coordsSepEos;
      }
      return morePoints ? owner.coordsEos : owner.eos;
    }

    @Override
    public ConstraintState advance(int token) {
      if (!allowed().contains(token)) {
        throw new IllegalArgumentException(
            "segment: token " + token + " is not allowed after " + points + " vertices ("
                + polygonPoints + " in this polygon" + (expectX ? ", x expected" : "")
                + (finished ? ", finished" : "") + "); allowed " + allowed());
      }
      if (finished || token == owner.eosToken) {
        return new State(owner, points, polygonPoints, false, true);
      }
      if (token == owner.sepToken) {
        return new State(owner, points, 0, false, false);
      }
      return expectX
          ? new State(owner, points + 1, polygonPoints + 1, false, false)
          : new State(owner, points, polygonPoints, true, false);
    }
  }
}
