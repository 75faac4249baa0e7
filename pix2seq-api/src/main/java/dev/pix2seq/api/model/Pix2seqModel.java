package dev.pix2seq.api.model;

import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.config.ModelConfig;
import java.nio.file.Path;

/**
 * A loaded network of some backend. Long-lived and closeable (it owns native memory).
 *
 * <p><b>Threads.</b> Encoding, opening decoding sessions and teacher-forced logits may run on
 * several threads at once: they only read the weights, and each call keeps its own {@link
 * ImageFeatures} and {@link DecodingSession}, which belong to one thread at a time. Training
 * (a {@link dev.pix2seq.api.training.ModelTrainer} step) writes the weights and must not overlap
 * any other use of the model; neither may {@link #close()}. Every backend meets this contract
 * (pix2seq-backend-tests' contract suite and {@code ConcurrentServingTest} check it).
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
