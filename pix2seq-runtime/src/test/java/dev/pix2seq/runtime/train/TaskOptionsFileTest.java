package dev.pix2seq.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.ConfigException;
import dev.pix2seq.tasks.TaskOptions;
import dev.pix2seq.tasks.TaskRegistry;
import dev.pix2seq.tasks.detect.DetectionOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskOptionsFileTest {

  private final TaskRegistry registry = TaskRegistry.discover(getClass().getClassLoader());

  @Test
  void overridesFieldsOfThePluginDefaults() throws Exception {
    Map<String, TaskOptions> options =
        TaskOptionsFile.parse("{\"detect\": {\"maxObjects\": 15}}", "opts.json", registry);
    DetectionOptions detect = (DetectionOptions) options.get("detect");
    assertEquals(15, detect.maxObjects());
    assertEquals(DetectionOptions.defaults().noisePadding(), detect.noisePadding());
  }

  @Test
  void errorsNameTheSourceTaskAndField() {
    ConfigException unknownTask = assertThrows(ConfigException.class,
        () -> TaskOptionsFile.parse("{\"dance\": {}}", "opts.json", registry));
    assertTrue(unknownTask.getMessage().contains("opts.json: field 'dance': unknown task"),
        unknownTask.getMessage());
    ConfigException unknownField = assertThrows(ConfigException.class,
        () -> TaskOptionsFile.parse("{\"detect\": {\"maxObject\": 1}}", "opts.json", registry));
    assertTrue(unknownField.getMessage().contains("maxObject"), unknownField.getMessage());
    assertThrows(ConfigException.class,
        () -> TaskOptionsFile.parse("[1]", "opts.json", registry));
  }
}
