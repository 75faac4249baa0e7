package dev.pix2seq.runtime.predict;

import dev.pix2seq.api.generation.GenerationRequest;
import dev.pix2seq.api.generation.SequenceGenerator;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.sampling.SamplerSpec;
import dev.pix2seq.api.value.TokenSequence;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * How the predictor turns prompts into responses: by default the API's {@link
 * SequenceGenerator} over the model's decoder. A seam for other decoding strategies and for
 * tests; implementations must be safe to call from several threads if the predictor is.
 */
@FunctionalInterface
public interface ResponseGenerator {

  /**
   * One response per request, in request order: the generated tokens after the prompt (EOS
   * included when generated) with their log probabilities.
   */
  List<TokenSequence> generate(
      ImageFeatures features, List<GenerationRequest> requests, SamplerSpec sampler,
      RandomGenerator rng);

  /** The generator of the API. */
  static ResponseGenerator of(SequenceGenerator generator) {
    return generator::generate;
  }
}
