package dev.pix2seq.tasks;

import dev.pix2seq.api.task.TaskCodec;

/**
 * Builds one task's codec from a context. A plug-in's Guice module contributes its factory to
 * the task map with {@link TaskBindings#codecFactories(com.google.inject.Binder)}.
 */
@FunctionalInterface
public interface TaskCodecFactory {

  /**
   * The codec of this task for the context's vocabulary and options.
   *
   * @throws IllegalArgumentException if the vocabulary lacks what the task needs (for instance
   *     its task token) or the options are of the wrong type
   */
  TaskCodec<?, ?, ?> create(TaskContext context);
}
