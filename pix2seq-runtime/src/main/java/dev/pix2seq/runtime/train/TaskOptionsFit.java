package dev.pix2seq.runtime.train;

import dev.pix2seq.api.ConfigException;
import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.tasks.InstanceRequest;
import dev.pix2seq.tasks.TaskContext;
import dev.pix2seq.tasks.TaskOptions;
import dev.pix2seq.tasks.TaskRegistry;
import dev.pix2seq.tasks.describe.CaptionCodec;
import dev.pix2seq.tasks.describe.DescribeOptions;
import dev.pix2seq.tasks.describe.DescribeRequest;
import dev.pix2seq.tasks.detect.DetectRequest;
import dev.pix2seq.tasks.detect.DetectionCodec;
import dev.pix2seq.tasks.detect.DetectionOptions;
import dev.pix2seq.tasks.keypoint.KeypointCodec;
import dev.pix2seq.tasks.keypoint.KeypointOptions;
import dev.pix2seq.tasks.segment.SegmentationCodec;
import dev.pix2seq.tasks.segment.SegmentationOptions;
import dev.pix2seq.tokenizer.Vocabulary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the built-in tasks' options fit the model's sequence length. A task's longest training
 * row is {@code prompt + maxResponseLength - 1} positions (detection with noise padding: {@code
 * 1 + 5 * maxObjects}). Options the caller gave must fit, or training fails naming them; default
 * options that do not fit are shrunk (fewer objects, points or caption tokens) and the change is
 * logged. The result holds the options of every built-in task trained, so the checkpoint
 * records exactly what training used.
 */
final class TaskOptionsFit {
  private static final Logger LOG = LoggerFactory.getLogger(TaskOptionsFit.class);

  private TaskOptionsFit() {}

  static Map<String, TaskOptions> fit(
      TaskRegistry registry, Vocabulary vocabulary, List<String> tasks,
      Map<String, TaskOptions> given, int maxLength) throws ConfigException {
    Map<String, TaskOptions> out = new LinkedHashMap<>();
    TaskContext base = TaskContext.of(vocabulary);
    for (String task : tasks) {
      TaskOptions explicit = given.get(task);
      switch (task) {
        case DetectionCodec.NAME -> {
          DetectionOptions o = typed(task, explicit, DetectionOptions.class,
              DetectionOptions.defaults());
          ToIntFunction<DetectionOptions> need = d -> {
            DetectionCodec c = registry.codec(task, base.withOptions(task, d),
                DetectionCodec.class);
            return c.prompt(DetectRequest.ALL_OBJECTS).length + c.maxResponseLength() - 1;
          };
          out.put(task, shrink(task, "maxObjects", o, explicit != null, maxLength, need,
              o.maxObjects(), 1, o::withMaxObjects));
        }
        case SegmentationCodec.NAME -> {
          SegmentationOptions o = typed(task, explicit, SegmentationOptions.class,
              SegmentationOptions.defaults());
          int prompt = instancePromptLength(vocabulary, task);
          ToIntFunction<SegmentationOptions> need = s -> prompt
              + registry.codec(task, base.withOptions(task, s), SegmentationCodec.class)
                  .maxResponseLength() - 1;
          out.put(task, shrink(task, "maxPoints", o, explicit != null, maxLength, need,
              o.maxPoints(), dev.pix2seq.api.value.Polygon.MIN_POINTS, o::withMaxPoints));
        }
        case KeypointCodec.NAME -> {
          KeypointOptions o = typed(task, explicit, KeypointOptions.class,
              KeypointOptions.defaults());
          KeypointCodec c = registry.codec(task, base.withOptions(task, o), KeypointCodec.class);
          int needed = instancePromptLength(vocabulary, task) + c.maxResponseLength() - 1;
          if (needed > maxLength) {
            throw new ConfigException("task keypoint: the largest keypoint schema ("
                + (c.maxResponseLength() - 1) / 2 + " keypoints) needs " + needed
                + " positions, more than the model's maxSequenceLength " + maxLength);
          }
          out.put(task, o);
        }
        case CaptionCodec.NAME -> {
          DescribeOptions o = typed(task, explicit, DescribeOptions.class,
              DescribeOptions.defaults());
          ToIntFunction<DescribeOptions> need = d -> {
            CaptionCodec c = registry.codec(task, base.withOptions(task, d), CaptionCodec.class);
            return c.prompt(DescribeRequest.IMAGE).length + c.maxResponseLength() - 1;
          };
          out.put(task, shrink(task, "maxCaptionTokens", o, explicit != null, maxLength, need,
              o.maxCaptionTokens(), 1, o::withMaxCaptionTokens));
        }
        default -> {
          if (explicit != null) {
            out.put(task, explicit);
          }
        }
      }
    }
    return out;
  }

  private static <T extends TaskOptions> T typed(
      String task, TaskOptions given, Class<T> type, T defaults) throws ConfigException {
    if (given == null) {
      return defaults;
    }
    if (!type.isInstance(given)) {
      throw new ConfigException("options of task '" + task + "' must be " + type.getSimpleName()
          + ", found " + given.getClass().getSimpleName());
    }
    return type.cast(given);
  }

  /**
   * {@code options} if it fits; else, for defaults, the same options with the largest value of
   * the named field that fits.
   */
  private static <T extends TaskOptions> T shrink(
      String task, String field, T options, boolean explicit, int maxLength,
      ToIntFunction<T> need, int value, int minimum, IntFunction<T> with)
      throws ConfigException {
    int needed = need.applyAsInt(options);
    if (needed <= maxLength) {
      return options;
    }
    int fitting = -1;
    for (int v = value - 1; v >= minimum; v--) {
      if (need.applyAsInt(with.apply(v)) <= maxLength) {
        fitting = v;
        break;
      }
    }
    String hint = fitting < 0 ? "" : "; use " + field + " <= " + fitting;
    if (explicit || fitting < 0) {
      throw new ConfigException("options of task '" + task + "': " + field + "=" + value
          + " needs sequences of " + needed + " positions, more than the model's "
          + "maxSequenceLength " + maxLength + hint);
    }
    LOG.info("task {}: {} lowered from its default {} to {} so that sequences fit the model's "
        + "maxSequenceLength {}", task, field, value, fitting, maxLength);
    return with.apply(fitting);
  }

  private static int instancePromptLength(Vocabulary vocabulary, String task) {
    List<Category> categories = vocabulary.categories();
    if (categories.isEmpty()) {
      return 6;
    }
    return new InstanceRequest(new BoundingBox(0, 0, 1, 1), categories.get(0).id())
        .prompt(vocabulary, task).length;
  }
}
