package dev.pix2seq.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Module;
import dev.pix2seq.tasks.describe.CaptionCodec;
import dev.pix2seq.tasks.describe.DescribeTaskPlugin;
import dev.pix2seq.tasks.detect.DetectionCodec;
import dev.pix2seq.tasks.detect.DetectionOptions;
import dev.pix2seq.tasks.detect.DetectionTaskPlugin;
import dev.pix2seq.tasks.keypoint.KeypointCodec;
import dev.pix2seq.tasks.keypoint.KeypointOptions;
import dev.pix2seq.tasks.keypoint.KeypointTaskPlugin;
import dev.pix2seq.tasks.segment.SegmentationCodec;
import dev.pix2seq.tasks.segment.SegmentationTaskPlugin;
import dev.pix2seq.tasks.testing.TestVocabularies;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskRegistryTest {

  private final TaskContext context = TaskContext.of(TestVocabularies.standard());

  private static TaskPlugin plugin(String name, Module module) {
    return new TaskPlugin() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Module module() {
        return module;
      }
    };
  }

  @Test
  void builtInTasksAreDiscoveredWithTheirCodecs() {
    TaskRegistry tasks = TaskRegistry.discover(TaskRegistryTest.class.getClassLoader());
    assertTrue(tasks.taskNames().containsAll(
        List.of("detect", "segment", "keypoint", "describe")), tasks.taskNames().toString());
    assertInstanceOf(DetectionCodec.class, tasks.codec("detect", context));
    assertInstanceOf(SegmentationCodec.class, tasks.codec("segment", context));
    assertInstanceOf(KeypointCodec.class, tasks.codec("keypoint", context));
    assertInstanceOf(CaptionCodec.class, tasks.codec("describe", context));
  }

  @Test
  void unknownTaskNamesTheKnownOnes() {
    TaskRegistry tasks = TaskRegistry.of(List.of(new DetectionTaskPlugin(),
        new SegmentationTaskPlugin(), new KeypointTaskPlugin(), new DescribeTaskPlugin()));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> tasks.codec("track", context));
    assertEquals(
        "unknown task 'track'; known tasks: describe, detect, keypoint, segment", e.getMessage());
  }

  @Test
  void optionsInTheContextReachTheCodec() {
    TaskRegistry tasks = TaskRegistry.of(List.of(new DetectionTaskPlugin()));
    TaskContext small =
        context.withOptions("detect", DetectionOptions.defaults().withMaxObjects(7));
    assertEquals(36, tasks.codec("detect", small).maxResponseLength());
    assertEquals(501, tasks.codec("detect", context).maxResponseLength());
  }

  @Test
  void optionsOfTheWrongTypeAreRejected() {
    TaskRegistry tasks = TaskRegistry.of(List.of(new DetectionTaskPlugin()));
    TaskContext wrong = context.withOptions("detect", KeypointOptions.defaults());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> tasks.codec("detect", wrong));
    assertTrue(e.getMessage().contains("DetectionOptions"), e.getMessage());
  }

  @Test
  void typedAccessChecksTheCodecClass() {
    TaskRegistry tasks = TaskRegistry.of(List.of(new DetectionTaskPlugin()));
    assertEquals("detect", tasks.codec("detect", context, DetectionCodec.class).name());
    assertThrows(IllegalArgumentException.class,
        () -> tasks.codec("detect", context, KeypointCodec.class));
  }

  @Test
  void duplicateTaskNamesAreRejected() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> TaskRegistry.of(List.of(new DetectionTaskPlugin(), new DetectionTaskPlugin())));
    assertTrue(e.getMessage().contains("'detect' is registered twice"), e.getMessage());
  }

  @Test
  void aPluginMustRegisterExactlyItsOwnName() {
    TaskPlugin liar = plugin("track", new DetectionTaskPlugin().module());
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> TaskRegistry.of(List.of(liar)));
    assertTrue(e.getMessage().contains("[track]") && e.getMessage().contains("[detect]"),
        e.getMessage());
  }

  @Test
  void aFactoryMustBuildACodecOfItsTask() {
    TaskPlugin wrong = plugin("other",
        TaskBindings.moduleFor("other", c -> new DetectionCodec(c.vocabulary(),
            DetectionOptions.defaults())));
    TaskRegistry tasks = TaskRegistry.of(List.of(wrong));
    assertThrows(IllegalStateException.class, () -> tasks.codec("other", context));
  }

  @Test
  void noPluginsGiveAnEmptyRegistry() {
    TaskRegistry tasks = TaskRegistry.of(List.of());
    assertTrue(tasks.taskNames().isEmpty());
    assertThrows(IllegalArgumentException.class, () -> tasks.factory("detect"));
  }
}
