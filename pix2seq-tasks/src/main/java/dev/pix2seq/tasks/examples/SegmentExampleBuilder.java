package dev.pix2seq.tasks.examples;

import dev.pix2seq.data.augment.AnnotatedImage;
import dev.pix2seq.data.augment.AnnotatedInstance;
import dev.pix2seq.tasks.InstanceRequest;
import dev.pix2seq.tasks.segment.SegmentationAnnotation;
import dev.pix2seq.tasks.segment.SegmentationCodec;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Segmentation examples: one random non-crowd instance with polygons of the augmented image,
 * prompted by its ground-truth box and class.
 */
public record SegmentExampleBuilder(SegmentationCodec codec, ModelInputs inputs)
    implements ExampleBuilder {

  @Override
  public Optional<TrainingExample> build(AnnotatedImage source, RandomGenerator rng) {
    AnnotatedImage input = inputs.augmented(source, rng);
    List<AnnotatedInstance> candidates =
        input.instances().stream()
            .filter(i -> !i.crowd() && !i.polygons().isEmpty() && i.box().area() > 0)
            .toList();
    if (candidates.isEmpty()) {
      return Optional.empty();
    }
    AnnotatedInstance chosen = candidates.get(rng.nextInt(candidates.size()));
    SegmentationAnnotation annotation =
        new SegmentationAnnotation(
            new InstanceRequest(inputs.normalise(chosen.box()), chosen.categoryId()),
            inputs.normalise(chosen.polygons()));
    return Optional.of(
        new TrainingExample(codec.name(), input.image(), codec.trainingSequence(annotation, rng)));
  }
}
