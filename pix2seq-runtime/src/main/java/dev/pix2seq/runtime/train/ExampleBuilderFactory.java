package dev.pix2seq.runtime.train;

import dev.pix2seq.tasks.TaskContext;
import dev.pix2seq.tasks.examples.ExampleBuilder;
import dev.pix2seq.tasks.examples.ModelInputs;

/**
 * Makes the example builder of a plug-in task (the built-in tasks have theirs in {@link
 * dev.pix2seq.tasks.examples.ExampleBuilders}).
 */
@FunctionalInterface
public interface ExampleBuilderFactory {

  /**
   * The builder of the task.
   *
   * @param context the model's vocabulary and task options (to build the task's codec)
   * @param inputs how dataset images become model inputs (augmentation, normalisation)
   */
  ExampleBuilder create(TaskContext context, ModelInputs inputs);
}
