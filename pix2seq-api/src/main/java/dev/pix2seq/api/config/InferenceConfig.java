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

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return defaults().toBuilder();
  }

  /** A builder starting from this config. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds an {@link InferenceConfig} in code, one setting at a time; {@link #build} checks the
   * whole as the constructor does (and names the field that is wrong). Not thread-safe.
   *
   * <pre>{@code
   * InferenceConfig config = InferenceConfig.builder()
   *     .backend("tf")
   *     .sampler("detect", SamplerSpec.greedy())
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private int version;
    private String backend;
    private Device device;
    private Map<String, SamplerSpec> samplers;
    private int segmentationSamples;
    private int batchSize;
    private long seed;

    private Builder(InferenceConfig c) {
      version = c.version;
      backend = c.backend;
      device = c.device;
      samplers = c.samplers;
      segmentationSamples = c.segmentationSamples;
      batchSize = c.batchSize;
      seed = c.seed;
    }

    /** Backend name, e.g. {@code djl} or {@code tf}. */
    public Builder backend(String backend) {
      this.backend = backend;
      return this;
    }

    /** Where to run. */
    public Builder device(Device device) {
      this.device = device;
      return this;
    }

    /** One task's sampler, keeping the others. */
    public Builder sampler(String task, SamplerSpec sampler) {
      Map<String, SamplerSpec> next = new java.util.HashMap<>(samplers);
      next.put(task, sampler);
      this.samplers = next;
      return this;
    }

    /** Sampler per task name; tasks absent use the reference defaults. */
    public Builder samplers(Map<String, SamplerSpec> samplers) {
      this.samplers = samplers;
      return this;
    }

    /** Masks sampled and averaged per instance. */
    public Builder segmentationSamples(int segmentationSamples) {
      this.segmentationSamples = segmentationSamples;
      return this;
    }

    /** Images per forward pass. */
    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** Seed of sampling. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * The config.
     *
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public InferenceConfig build() {
      return new InferenceConfig(version, backend, device, samplers, segmentationSamples, batchSize,
          seed);
    }
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
