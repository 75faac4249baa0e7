package dev.pix2seq.tasks.examples;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.data.augment.AnnotatedImage;
import dev.pix2seq.data.augment.AnnotatedInstance;
import dev.pix2seq.tasks.detect.DetectionCodec;
import dev.pix2seq.tasks.detect.LabeledBox;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Detection examples: the augmented image with every non-crowd object of non-zero size. An
 * image without objects still teaches "nothing here" (a sequence of noise objects or EOS).
 */
public record DetectExampleBuilder(DetectionCodec codec, ModelInputs inputs)
    implements ExampleBuilder {

  @Override
  public Optional<TrainingExample> build(AnnotatedImage source, RandomGenerator rng) {
    AnnotatedImage input = inputs.augmented(source, rng);
    List<LabeledBox> boxes = new ArrayList<>();
    for (AnnotatedInstance i : input.instances()) {
      BoundingBox b = inputs.normalise(i.box());
      if (!i.crowd() && b.area() > 0) {
        boxes.add(new LabeledBox(b, i.categoryId()));
      }
    }
    return Optional.of(
        new TrainingExample(codec.name(), input.image(), codec.trainingSequence(boxes, rng)));
  }
}
