package dev.pix2seq.djl.translator;

import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.ConfigException;
import dev.pix2seq.api.config.InferenceConfig;
import dev.pix2seq.runtime.backend.Backends;
import dev.pix2seq.runtime.checkpoint.Checkpoint;
import dev.pix2seq.runtime.checkpoint.LoadedCheckpoint;
import dev.pix2seq.runtime.predict.Pix2seqPredictor;
import dev.pix2seq.tasks.TaskRegistry;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A pix2seq checkpoint loaded for the translators of one DJL model, with the predictor over it.
 * Owns the checkpoint (the network's native memory); the factory attaches the handle to the DJL
 * model's NDManager, so closing the {@code ZooModel} closes it. Thread-safe: the predictor may
 * run on several threads; a closed handle fails fast.
 */
final class CheckpointHandle implements AutoCloseable {
  private final LoadedCheckpoint checkpoint;
  private final Pix2seqPredictor predictor;
  private final DjlConverter converter;
  private final AtomicBoolean closed = new AtomicBoolean();

  private CheckpointHandle(LoadedCheckpoint checkpoint, Pix2seqPredictor predictor) {
    this.checkpoint = checkpoint;
    this.predictor = predictor;
    this.converter = new DjlConverter(checkpoint.vocabulary().categories());
  }

  /**
   * Loads the checkpoint that {@code path} names (a checkpoint or training run directory) on
   * the config's backend and device, with the tasks found on the class path.
   *
   * @throws ConfigException if the config's backend is not available
   * @throws CheckpointException if the checkpoint is missing, malformed or inconsistent
   */
  static CheckpointHandle open(Path path, InferenceConfig config)
      throws ConfigException, CheckpointException {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = CheckpointHandle.class.getClassLoader();
    }
    LoadedCheckpoint checkpoint =
        Checkpoint.load(path, Backends.discover(loader).select(config.backend()), config.device());
    try {
      Pix2seqPredictor predictor = Pix2seqPredictor.of(
          checkpoint.model(), checkpoint.context(), TaskRegistry.discover(loader), config);
      return new CheckpointHandle(checkpoint, predictor);
    } catch (RuntimeException e) {
      checkpoint.close();
      throw e;
    }
  }

  /**
   * The predictor over the checkpoint.
   *
   * @throws IllegalStateException if the handle (its DJL model) was closed
   */
  Pix2seqPredictor predictor() {
    if (closed.get()) {
      throw new IllegalStateException("the pix2seq checkpoint " + checkpoint.directory()
          + " was closed with its DJL model; load the model again to predict");
    }
    return predictor;
  }

  /** The loaded checkpoint, closed or not. */
  LoadedCheckpoint checkpoint() {
    return checkpoint;
  }

  DjlConverter converter() {
    return converter;
  }

  /** The checkpoint directory it was loaded from. */
  Path directory() {
    return checkpoint.directory();
  }

  boolean isClosed() {
    return closed.get();
  }

  /** Releases the checkpoint; later calls do nothing. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      checkpoint.close();
    }
  }
}
