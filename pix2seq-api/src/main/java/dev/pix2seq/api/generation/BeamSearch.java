package dev.pix2seq.api.generation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Beam search over constrained log probabilities. Each step ranks the extensions of every live
 * beam by cumulative log probability (ties: earlier beam, then the greedy order of tokens);
 * walking that ranking, an extension that ends the response (EOS, or the length limit) is
 * recorded as finished if it ranks among the first {@code beamSize}, any other becomes a live
 * beam until {@code beamSize} are live. A request stops when no beam is live or when no live
 * beam can still beat the best finished one. Each beam needs only its {@code beamSize + 1}
 * best tokens (at most one of them ends it), so the ranking is small.
 *
 * <p>Finished responses are compared by {@code score / ((5 + length) / 6)^alpha} (the GNMT
 * length penalty; {@code alpha = 0} compares plain cumulative log probabilities). Since log
 * probabilities are at most 0, a live beam of score {@code s} can at best reach {@code s /
 * penalty(maxNewTokens)}, which makes the early stop exact.
 */
final class BeamSearch implements ResponseSearch {
  private static final Comparator<Candidate> RANKING =
      Comparator.comparingDouble(Candidate::score).reversed()
          .thenComparingInt(Candidate::beam)
          .thenComparingInt(Candidate::order);

  private final int beamSize;
  private final int eosToken;
  private final double lengthPenalty;

  BeamSearch(int beamSize, int eosToken, double lengthPenalty) {
    this.beamSize = beamSize;
    this.eosToken = eosToken;
    this.lengthPenalty = lengthPenalty;
  }

  /** One extension: token of legal-logit entry {@code order}-th best of beam {@code beam}. */
  private record Candidate(int beam, int order, int token, double logProb, double score) {}

  @Override
  public int[] step(RequestDecoding request, float[][] logits, int firstRow) {
    List<Hypothesis> live = request.live();
    List<Candidate> candidates = new ArrayList<>(live.size() * (beamSize + 1));
    for (int b = 0; b < live.size(); b++) {
      Hypothesis beam = live.get(b);
      LegalLogits legal = request.legalLogits(logits[firstRow + b], beam);
      int[] best = legal.best(beamSize + 1);
      for (int o = 0; o < best.length; o++) {
        double logProb = legal.logProb(best[o]);
        candidates.add(
            new Candidate(b, o, legal.token(best[o]), logProb, beam.score() + logProb));
      }
    }
    candidates.sort(RANKING);
    boolean lengthLimit = live.get(0).length() + 1 == request.maxNewTokens();
    List<Hypothesis> next = new ArrayList<>(beamSize);
    int[] parents = new int[beamSize];
    for (int rank = 0; rank < candidates.size() && next.size() < beamSize; rank++) {
      Candidate c = candidates.get(rank);
      if (c.token() == eosToken || lengthLimit) {
        if (rank < beamSize) {
          Hypothesis done = live.get(c.beam()).extend(c.token(), c.logProb());
          request.offer(done, normalised(done.score(), done.length()));
        }
      } else {
        parents[next.size()] = c.beam();
        next.add(live.get(c.beam()).extend(c.token(), c.logProb()));
      }
    }
    if (!next.isEmpty()
        && request.result() != null
        && request.resultScore() >= normalised(next.get(0).score(), request.maxNewTokens())) {
      next.clear();
    }
    request.setLive(next);
    return Arrays.copyOf(parents, next.size());
  }

  private double normalised(double score, int length) {
    return lengthPenalty == 0 ? score : score / Math.pow((5.0 + length) / 6.0, lengthPenalty);
  }
}
