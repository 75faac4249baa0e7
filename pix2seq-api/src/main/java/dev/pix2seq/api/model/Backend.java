package dev.pix2seq.api.model;

import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.api.training.ModelTrainer;
import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * A deep-learning engine that can build, load and run the Pix2seq network. Stateless apart from
 * its configuration and thread-safe; the models it makes state their own rules ({@link
 * Pix2seqModel}).
 */
public interface Backend {

  /** The name used in configs and on the command line, e.g. {@code djl} or {@code tf}. */
  String name();

  /**
   * A freshly initialised network (weights drawn from {@code seed}, {@link
   * dev.pix2seq.api.network.InitialWeights}).
   *
   * @throws IllegalArgumentException if a width is not a multiple of 4, the vocabulary is empty
   *     or a GPU is requested but none is usable
   */
  Pix2seqModel create(ModelConfig config, int vocabSize, Device device, long seed);

  /**
   * The network whose weights are in {@code dir/weights.safetensors}.
   *
   * @throws CheckpointException if the file is missing or damaged, a tensor is missing, has
   *     another shape or a non-finite value, or the file holds tensors this architecture lacks
   */
  Pix2seqModel load(Path dir, ModelConfig config, int vocabSize, Device device)
      throws CheckpointException;

  /**
   * A trainer that updates {@code model}'s weights in place with this backend's AdamW, using
   * {@code config}'s weight decay, betas, gradient clipping and seed (dropout). {@code model}
   * must come from this backend.
   *
   * @throws IllegalArgumentException if {@code model} was not created by this backend
   * @throws UnsupportedOperationException if the backend does not {@link #trains train}
   */
  ModelTrainer trainer(Pix2seqModel model, TrainConfig config);

  /**
   * Whether {@link #trainer} works: an optional capability, declared so that callers can refuse
   * a training run before loading anything. True by default; a backend whose {@code trainer}
   * throws must override it with false ({@link AbstractBackend} does when given no trainers).
   */
  default boolean trains() {
    return true;
  }

  /**
   * The export formats this backend offers for the models it loads; none by default. An
   * optional capability: callers look a format up by name across the available backends.
   */
  default List<ModelExporter> exporters() {
    return List.of();
  }
}
