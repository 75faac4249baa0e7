package dev.pix2seq.runtime.predict;

import dev.pix2seq.api.generation.GenerationRequest;
import dev.pix2seq.api.model.DecodingSession;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.SequenceDecoder;
import dev.pix2seq.api.sampling.LogitMath;
import dev.pix2seq.api.sampling.Sampler;
import dev.pix2seq.api.sampling.SamplerSpec;
import dev.pix2seq.api.task.ConstraintState;
import dev.pix2seq.api.value.TokenSequence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * The simplest correct generator, for tests: one session per request, the constraint masks the
 * logits, the sampler picks, the log probability is taken under the masked softmax.
 */
final class StepwiseGenerator implements ResponseGenerator {
  private final SequenceDecoder decoder;
  private final int eos;
  final AtomicInteger calls = new AtomicInteger();

  StepwiseGenerator(SequenceDecoder decoder, int eos) {
    this.decoder = decoder;
    this.eos = eos;
  }

  @Override
  public List<TokenSequence> generate(
      ImageFeatures features, List<GenerationRequest> requests, SamplerSpec spec,
      RandomGenerator rng) {
    calls.incrementAndGet();
    Sampler sampler = spec.create();
    List<TokenSequence> out = new ArrayList<>(requests.size());
    for (GenerationRequest req : requests) {
      try (DecodingSession s = decoder.open(features, new int[] {req.image()})) {
        float[] logits = s.feed(new int[][] {req.prompt()})[0];
        ConstraintState state = req.constraint().start();
        int[] tokens = new int[req.maxNewTokens()];
        float[] logProbs = new float[req.maxNewTokens()];
        int n = 0;
        while (n < req.maxNewTokens()) {
          float[] masked = logits.clone();
          state.allowed().maskLogits(masked);
          int token = sampler.sample(masked, rng);
          tokens[n] = token;
          logProbs[n] = LogitMath.logProb(masked, token);
          n++;
          if (token == eos) {
            break;
          }
          state = state.advance(token);
          logits = s.feed(new int[][] {{token}})[0];
        }
        out.add(new TokenSequence(Arrays.copyOf(tokens, n), Arrays.copyOf(logProbs, n)));
      }
    }
    return out;
  }
}
