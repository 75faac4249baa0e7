package dev.pix2seq.runtime.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pix2seq.api.ConfigException;
import dev.pix2seq.api.config.ConfigIO;
import dev.pix2seq.tasks.TaskOptions;
import dev.pix2seq.tasks.TaskRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads per-task options from JSON, each task's entry overriding fields of its plug-in's
 * defaults: {@code {"detect": {"maxObjects": 15}, "segment": {"maxPoints": 64}}}.
 */
public final class TaskOptionsFile {

  private TaskOptionsFile() {}

  /**
   * The options in {@code file}.
   *
   * @throws ConfigException naming the file and the task when the JSON is malformed, a task is
   *     unknown or has no options, or a field is unknown or invalid
   */
  public static Map<String, TaskOptions> read(Path file, TaskRegistry registry)
      throws ConfigException {
    String json;
    try {
      json = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read task options: " + e.getMessage(), e);
    }
    return parse(json, file.toString(), registry);
  }

  /** Like {@link #read} on a JSON string; {@code source} names it in messages. */
  public static Map<String, TaskOptions> parse(String json, String source, TaskRegistry registry)
      throws ConfigException {
    JsonNode root;
    try {
      root = ConfigIO.mapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new ConfigException(source + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException(source + ": task options must be a JSON object keyed by task");
    }
    Map<String, TaskOptions> options = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      String task = e.getKey();
      if (!registry.contains(task)) {
        throw new ConfigException(source + ": field '" + task + "': unknown task; known tasks: "
            + registry.taskNames());
      }
      TaskOptions defaults = registry.defaultOptions(task).orElseThrow(() -> new ConfigException(
          source + ": field '" + task + "': the task takes no options"));
      options.put(task, override(e.getValue().toString(), source + ": field '" + task + "'",
          defaults));
    }
    return options;
  }

  private static <T extends TaskOptions> T override(String json, String source, T defaults)
      throws ConfigException {
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) defaults.getClass();
    return ConfigIO.parse(json, source, type, defaults);
  }
}
