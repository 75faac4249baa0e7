package dev.pix2seq.tasks.examples;

import dev.pix2seq.data.augment.AnnotatedImage;
import dev.pix2seq.tasks.describe.CaptionCodec;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Caption examples: one random non-blank reference caption of the image. Only the flip augments (it swaps
 * "left" and "right" in the caption); a crop could cut away an object the caption names.
 */
public record DescribeExampleBuilder(CaptionCodec codec, ModelInputs inputs)
    implements ExampleBuilder {

  @Override
  public Optional<TrainingExample> build(AnnotatedImage source, RandomGenerator rng) {
    if (source.captions().stream().allMatch(String::isBlank)) {
      return Optional.empty();
    }
    AnnotatedImage input = inputs.flippedOnly(source, rng);
    java.util.List<String> captions =
        input.captions().stream().filter(c -> !c.isBlank()).toList();
    String caption = captions.get(rng.nextInt(captions.size()));
    return Optional.of(
        new TrainingExample(codec.name(), input.image(), codec.trainingSequence(caption, rng)));
  }
}
