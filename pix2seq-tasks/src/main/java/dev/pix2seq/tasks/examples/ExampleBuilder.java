package dev.pix2seq.tasks.examples;

import dev.pix2seq.data.augment.AnnotatedImage;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Builds one task's training example from an annotated dataset image (in its own pixels). A
 * plug-in task supplies its own builder. Implementations are immutable and thread-safe;
 * randomness comes only from {@code rng}.
 */
@FunctionalInterface
public interface ExampleBuilder {

  /**
   * One example, or empty when the image has nothing this task can learn from (no instance with
   * polygons, no person with labeled keypoints, no caption).
   */
  Optional<TrainingExample> build(AnnotatedImage source, RandomGenerator rng);
}
