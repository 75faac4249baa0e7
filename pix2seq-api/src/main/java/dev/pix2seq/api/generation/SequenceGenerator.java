package dev.pix2seq.api.generation;

import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.SequenceDecoder;
import dev.pix2seq.api.sampling.SamplerSpec;
import dev.pix2seq.api.value.TokenSequence;
import java.util.List;
import java.util.random.RandomGenerator;

/** Placeholder: implemented by the generation work. */
public final class SequenceGenerator {

  private final SequenceDecoder decoder;
  private final int eosToken;

  public SequenceGenerator(SequenceDecoder decoder, int eosToken) {
    this.decoder = decoder;
    this.eosToken = eosToken;
  }

  public List<TokenSequence> generate(
      ImageFeatures features, List<GenerationRequest> requests, SamplerSpec sampler,
      RandomGenerator rng) {
    throw new UnsupportedOperationException("not yet implemented");
  }
}
