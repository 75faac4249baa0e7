package dev.pix2seq.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pix2seq.tasks.describe.DescribeOptions;
import dev.pix2seq.tasks.detect.DetectionOptions;
import dev.pix2seq.tasks.testing.TestVocabularies;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskContextTest {

  @Test
  void givenOptionsWinOverDefaults() {
    TaskContext c = TaskContext.of(TestVocabularies.standard());
    DetectionOptions defaults = DetectionOptions.defaults();
    assertSame(defaults, c.optionsFor("detect", DetectionOptions.class, defaults));
    DetectionOptions small = defaults.withMaxObjects(3);
    TaskContext withSmall = c.withOptions("detect", small);
    assertEquals(small, withSmall.optionsFor("detect", DetectionOptions.class, defaults));
    assertEquals(Map.of(), c.options(), "withOptions leaves the original alone");
  }

  @Test
  void optionsMapIsCopied() {
    Map<String, TaskOptions> m = new HashMap<>();
    m.put("describe", DescribeOptions.defaults());
    TaskContext c = new TaskContext(TestVocabularies.standard(), m);
    m.clear();
    assertEquals(1, c.options().size());
    assertThrows(UnsupportedOperationException.class, () -> c.options().clear());
  }

  @Test
  void optionsAreValidatedWhenBuilt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DetectionOptions.defaults().withClassCorruptionRate(1.5));
    assertEquals("detect classCorruptionRate must be in [0, 1], found 1.5", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new TaskContext(null, Map.of()));
  }
}
