package dev.pix2seq.api.model;

import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.api.training.ModelTrainer;
import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import java.nio.file.Path;
import java.util.List;

/** A deep-learning engine that can build, load and run the Pix2seq network. */
public interface Backend {

  /** The name used in configs and on the command line, e.g. {@code djl} or {@code tf}. */
  String name();

  /** A freshly initialised network (weights drawn from {@code seed}). */
  Pix2seqModel create(ModelConfig config, int vocabSize, Device device, long seed);

  /** The network whose weights are in {@code dir/weights.safetensors}. */
  Pix2seqModel load(Path dir, ModelConfig config, int vocabSize, Device device)
      throws CheckpointException;

  /**
   * A trainer that updates {@code model}'s weights in place with this backend's AdamW, using
   * {@code config}'s weight decay, betas, gradient clipping and seed (dropout). {@code model}
   * must come from this backend.
   */
  ModelTrainer trainer(Pix2seqModel model, TrainConfig config);

  /**
   * The export formats this backend offers for the models it loads; none by default. An
   * optional capability: callers look a format up by name across the available backends.
   */
  default List<ModelExporter> exporters() {
    return List.of();
  }
}
