package dev.pix2seq.api.model;

import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.config.ModelConfig;
import java.nio.file.Path;

/**
 * A loaded network of some backend. Long-lived and closeable (it owns native memory); thread
 * safety is stated by each backend.
 */
public interface Pix2seqModel extends AutoCloseable {

  /** The architecture. */
  ModelConfig config();

  /** Number of token ids the model predicts. */
  int vocabSize();

  ImageEncoder encoder();

  SequenceDecoder decoder();

  /**
   * Writes {@code weights.safetensors} into {@code dir} atomically (a temp file, then rename).
   */
  void saveWeights(Path dir) throws CheckpointException;

  @Override
  void close();
}
