package dev.pix2seq.runtime.predict;

import dev.pix2seq.api.generation.GenerationRequest;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.sampling.SamplerSpec;
import dev.pix2seq.api.value.TokenSequence;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * Answers request {@code i} of every call with {@code responses[i % responses.size()]}: with as
 * many responses as samples per instance, sample {@code s} of every instance gets response
 * {@code s}. Records the requests and samplers of every call.
 */
final class CannedGenerator implements ResponseGenerator {
  private final List<TokenSequence> responses;
  final List<List<GenerationRequest>> calls = Collections.synchronizedList(new ArrayList<>());
  final List<SamplerSpec> samplers = Collections.synchronizedList(new ArrayList<>());

  CannedGenerator(List<TokenSequence> responses) {
    this.responses = List.copyOf(responses);
  }

  @Override
  public List<TokenSequence> generate(
      ImageFeatures features, List<GenerationRequest> requests, SamplerSpec sampler,
      RandomGenerator rng) {
    calls.add(List.copyOf(requests));
    samplers.add(sampler);
    return IntStream.range(0, requests.size())
        .mapToObj(i -> responses.get(i % responses.size()))
        .toList();
  }
}
