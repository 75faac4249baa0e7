package dev.pix2seq.tasks.examples;

import dev.pix2seq.data.augment.AnnotatedImage;
import dev.pix2seq.data.augment.AnnotatedInstance;
import dev.pix2seq.data.augment.KeypointContextCrop;
import dev.pix2seq.tasks.InstanceRequest;
import dev.pix2seq.tasks.keypoint.KeypointAnnotation;
import dev.pix2seq.tasks.keypoint.KeypointCodec;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Keypoint examples: one random non-crowd instance with labeled keypoints; the image is cropped
 * to its box padded by half its size on each side (twice the box, grey beyond the image), then
 * augmented, and the prompt box is the instance's box inside that crop.
 */
public record KeypointExampleBuilder(
    KeypointCodec codec, ModelInputs inputs, KeypointContextCrop contextCrop)
    implements ExampleBuilder {

  /** A builder with the default context crop (twice the box, padded). */
  public KeypointExampleBuilder(KeypointCodec codec, ModelInputs inputs) {
    this(codec, inputs, KeypointContextCrop.padded());
  }

  @Override
  public Optional<TrainingExample> build(AnnotatedImage source, RandomGenerator rng) {
    List<AnnotatedInstance> candidates =
        source.instances().stream()
            .filter(i -> !i.crowd() && i.hasKeypoints() && i.keypoints().labeledCount() > 0)
            .toList();
    if (candidates.isEmpty()) {
      return Optional.empty();
    }
    AnnotatedInstance chosen = candidates.get(rng.nextInt(candidates.size()));
    AnnotatedImage crop = contextCrop.crop(source, chosen);
    AnnotatedImage input = inputs.flippedOnly(crop, rng);
    Optional<AnnotatedInstance> mapped = input.instance(chosen.id());
    if (mapped.isEmpty()
        || mapped.get().keypoints() == null
        || mapped.get().keypoints().labeledCount() == 0) {
      return Optional.empty();
    }
    AnnotatedInstance person = mapped.get();
    KeypointAnnotation annotation =
        new KeypointAnnotation(
            new InstanceRequest(inputs.normalise(person.box()), person.categoryId()),
            inputs.normalise(person.keypoints()));
    return Optional.of(
        new TrainingExample(codec.name(), input.image(), codec.trainingSequence(annotation, rng)));
  }
}
