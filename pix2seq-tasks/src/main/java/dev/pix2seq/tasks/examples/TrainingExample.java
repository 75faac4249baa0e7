package dev.pix2seq.tasks.examples;

import dev.pix2seq.api.task.TrainingSequence;
import dev.pix2seq.api.value.ImageTensor;

/**
 * One decoder training example.
 *
 * @param task the task name
 * @param image the square model-input image (side = the model's input size)
 * @param sequence the task's training sequence for that image
 */
public record TrainingExample(String task, ImageTensor image, TrainingSequence sequence) {

  public TrainingExample {
    if (task == null || image == null || sequence == null) {
      throw new IllegalArgumentException("a training example needs a task, image and sequence");
    }
    if (image.width() != image.height()) {
      throw new IllegalArgumentException(
          "model-input images are square, found " + image.width() + "x" + image.height());
    }
  }
}
