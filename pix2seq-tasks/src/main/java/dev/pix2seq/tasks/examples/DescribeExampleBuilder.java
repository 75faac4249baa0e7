package dev.pix2seq.tasks.examples;

import dev.pix2seq.data.augment.AnnotatedImage;
import dev.pix2seq.tasks.describe.CaptionCodec;
import dev.pix2seq.tasks.describe.DescribeOptions;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Caption examples: one non-blank reference caption of the image, drawn at random or the first
 * ({@link DescribeOptions#captionChoice()}). Only the flip augments (it swaps "left" and "right"
 * in the caption), unless the options keep the orientation; a crop could cut away an object the
 * caption names.
 */
public record DescribeExampleBuilder(CaptionCodec codec, ModelInputs inputs)
    implements ExampleBuilder {

  @Override
  public Optional<TrainingExample> build(AnnotatedImage source, RandomGenerator rng) {
    if (source.captions().stream().allMatch(String::isBlank)) {
      return Optional.empty();
    }
    DescribeOptions options = codec.options();
    AnnotatedImage input =
        options.keepOrientation() ? inputs.plain(source) : inputs.flippedOnly(source, rng);
    List<String> captions = input.captions().stream().filter(c -> !c.isBlank()).toList();
    String caption = options.captionChoice() == DescribeOptions.CaptionChoice.FIRST
        ? captions.get(0)
        : captions.get(rng.nextInt(captions.size()));
    return Optional.of(
        new TrainingExample(codec.name(), input.image(), codec.trainingSequence(caption, rng)));
  }
}
