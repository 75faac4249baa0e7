package dev.pix2seq.api.config;

import dev.pix2seq.api.sampling.SamplerSpec;
import java.util.Map;

/**
 * How to run a trained model: backend, device, per-task samplers and batching.
 * {@link #defaults()} holds every default (the Pix2seq reference's samplers per task).
 *
 * @param version config format version ({@link #CURRENT_VERSION})
 * @param backend backend name ({@code djl} or {@code tf})
 * @param device where to run
 * @param samplers sampler per task name; tasks absent here use {@link #DEFAULT_SAMPLERS}
 * @param segmentationSamples masks sampled and averaged per instance
 * @param batchSize images per forward pass
 * @param seed seed of sampling
 */
public record InferenceConfig(
    int version,
    String backend,
    Device device,
    Map<String, SamplerSpec> samplers,
    int segmentationSamples,
    int batchSize,
    long seed) {

  /** The config format this code reads and writes. */
  public static final int CURRENT_VERSION = 1;

  /** Reference defaults: detect top-p 0.4, segment top-p 0.8, keypoint top-p 0.1, greedy captions. */
  public static final Map<String, SamplerSpec> DEFAULT_SAMPLERS =
      Map.of(
          "detect", SamplerSpec.topP(0.4),
          "segment", SamplerSpec.topP(0.8),
          "keypoint", SamplerSpec.topP(0.1),
          "describe", SamplerSpec.greedy());

  public InferenceConfig {
    ConfigChecks.version("InferenceConfig", version, CURRENT_VERSION);
    if (backend == null || backend.isBlank()) {
      throw new IllegalArgumentException("backend must name a backend, e.g. djl or tf");
    }
    if (device == null) {
      throw new IllegalArgumentException("device must be cpu or gpu");
    }
    samplers = Map.copyOf(samplers);
    ConfigChecks.positive("segmentationSamples", segmentationSamples);
    ConfigChecks.positive("batchSize", batchSize);
  }

  /** Every default in one place. */
  public static InferenceConfig defaults() {
    return new InferenceConfig(CURRENT_VERSION, "djl", Device.CPU, DEFAULT_SAMPLERS, 8, 8, 0L);
  }

  /** The sampler of a task: configured, else the reference default, else greedy. */
  public SamplerSpec samplerFor(String task) {
    SamplerSpec s = samplers.get(task);
    if (s == null) {
      s = DEFAULT_SAMPLERS.getOrDefault(task, SamplerSpec.greedy());
    }
    return s;
  }
}
