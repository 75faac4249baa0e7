package dev.pix2seq.runtime.checkpoint;

import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.tasks.TaskContext;
import dev.pix2seq.tokenizer.Vocabulary;
import java.nio.file.Path;
import java.util.List;

/**
 * A checkpoint loaded for use: the network on a backend, its vocabulary and the task context
 * (vocabulary plus the options the tasks were trained with). Owns the model (native memory) and
 * a native tokenizer if the checkpoint has one; {@link #close()} releases both. Thread safety is
 * the model's.
 *
 * @param directory the checkpoint directory it was read from
 * @param manifest the contents of {@code model.json}
 * @param model the network
 * @param vocabulary the unified vocabulary
 * @param context the vocabulary and the trained task options, ready for {@code
 *     TaskRegistry.codec}
 */
public record LoadedCheckpoint(
    Path directory, CheckpointManifest manifest, Pix2seqModel model, Vocabulary vocabulary,
    TaskContext context) implements AutoCloseable {

  public LoadedCheckpoint {
    if (directory == null || manifest == null || model == null || vocabulary == null
        || context == null) {
      throw new IllegalArgumentException("a loaded checkpoint needs every part");
    }
  }

  /** The trained tasks, in training order. */
  public List<String> tasks() {
    return manifest.tasks();
  }

  @Override
  public void close() {
    try {
      model.close();
    } finally {
      if (vocabulary.textTokenizer() instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          throw new IllegalStateException("cannot close the text tokenizer: " + e.getMessage(), e);
        }
      }
    }
  }
}
