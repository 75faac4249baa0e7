package dev.pix2seq.api.generation;

import dev.pix2seq.api.sampling.Sampler;
import java.util.List;

/**
 * One hypothesis per request, grown by a per-token sampler over the legal logits. The sampler
 * sees only the legal tokens, in ascending id order; the built-in samplers depend only on the
 * values and their order, so this equals sampling the full masked row, and is cheaper.
 */
final class SampledSearch implements ResponseSearch {
  private static final int[] NONE = {};
  private static final int[] FIRST = {0};

  private final Sampler sampler;
  private final int eosToken;

  SampledSearch(Sampler sampler, int eosToken) {
    this.sampler = sampler;
    this.eosToken = eosToken;
  }

  @Override
  public int[] step(RequestDecoding request, float[][] logits, int firstRow) {
    Hypothesis current = request.live().get(0);
    LegalLogits legal = request.legalLogits(logits[firstRow], current);
    int chosen = sampler.sample(legal.values(), request.rng());
    if (chosen < 0 || chosen >= legal.size()) {
      throw new IllegalStateException(
          "request " + request.index() + ": sampler " + sampler + " chose entry " + chosen
              + " of " + legal.size() + " legal tokens, outside what the constraint allows");
    }
    Hypothesis next = current.extend(legal.token(chosen), legal.logProb(chosen));
    if (next.token() == eosToken || next.length() == request.maxNewTokens()) {
      request.offer(next, next.score());
      request.setLive(List.of());
      return NONE;
    }
    request.setLive(List.of(next));
    return FIRST;
  }
}
