package dev.pix2seq.tasks.examples;

import dev.pix2seq.tasks.TaskContext;
import dev.pix2seq.tasks.TaskRegistry;
import dev.pix2seq.tasks.describe.CaptionCodec;
import dev.pix2seq.tasks.detect.DetectionCodec;
import dev.pix2seq.tasks.keypoint.KeypointCodec;
import dev.pix2seq.tasks.segment.SegmentationCodec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The example builders of the built-in tasks.
 *
 * <pre>{@code
 * Map<String, ExampleBuilder> builders = ExampleBuilders.builtIn(
 *     TaskRegistry.discover(loader), TaskContext.of(vocab), ExampleOptions.training(128),
 *     List.of("detect", "describe"));
 * Optional<TrainingExample> ex = builders.get("detect").build(sample, rng);
 * }</pre>
 */
public final class ExampleBuilders {
  private ExampleBuilders() {}

  /**
   * Builders for the named built-in tasks, in the given order.
   *
   * @throws IllegalArgumentException for a task without a built-in builder (a plug-in task
   *     brings its own)
   */
  public static Map<String, ExampleBuilder> builtIn(
      TaskRegistry registry, TaskContext context, ExampleOptions options, List<String> tasks) {
    ModelInputs inputs = new ModelInputs(options, context.vocabulary().categories());
    Map<String, ExampleBuilder> out = new LinkedHashMap<>();
    for (String task : tasks) {
      ExampleBuilder b =
          switch (task) {
            case DetectionCodec.NAME -> new DetectExampleBuilder(
                registry.codec(task, context, DetectionCodec.class), inputs);
            case SegmentationCodec.NAME -> new SegmentExampleBuilder(
                registry.codec(task, context, SegmentationCodec.class), inputs);
            case KeypointCodec.NAME -> new KeypointExampleBuilder(
                registry.codec(task, context, KeypointCodec.class), inputs);
            case CaptionCodec.NAME -> new DescribeExampleBuilder(
                registry.codec(task, context, CaptionCodec.class), inputs);
            default -> throw new IllegalArgumentException(
                "no built-in example builder for task '" + task
                    + "'; built-in tasks are detect, segment, keypoint, describe");
          };
      out.put(task, b);
    }
    return out;
  }
}
