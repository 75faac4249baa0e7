package dev.pix2seq.runtime.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.ConfigException;
import dev.pix2seq.api.config.ConfigIO;
import dev.pix2seq.tasks.TaskOptions;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;

/**
 * Task options in {@code model.json}: {@code {"type": "<options class>", "values": {...}}}. The
 * values are read over the type's {@code defaults()} (when it has that static method, as every
 * built-in options record does), so a field added to an options type later keeps older
 * checkpoints loadable; unknown fields are rejected.
 */
final class TaskOptionsJson {
  private static final ObjectMapper MAPPER = ConfigIO.mapper();

  private TaskOptionsJson() {}

  static ObjectNode write(TaskOptions options) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("type", options.getClass().getName());
    node.set("values", MAPPER.valueToTree(options));
    return node;
  }

  static TaskOptions read(Path file, String field, JsonNode node) throws CheckpointException {
    if (node == null || !node.isObject()) {
      throw new CheckpointException(file + ": field '" + field + "' must be an object with "
          + "'type' and 'values', found " + describe(node));
    }
    JsonNode typeNode = node.get("type");
    JsonNode values = node.get("values");
    if (typeNode == null || !typeNode.isTextual() || typeNode.asText().isBlank()) {
      throw new CheckpointException(file + ": field '" + field + ".type' must name the options "
          + "class, found " + describe(typeNode));
    }
    if (values == null || !values.isObject()) {
      throw new CheckpointException(
          file + ": field '" + field + ".values' must be an object, found " + describe(values));
    }
    Class<? extends TaskOptions> type = optionsType(file, field + ".type", typeNode.asText());
    return parse(file, field + ".values", type, (ObjectNode) values);
  }

  private static Class<? extends TaskOptions> optionsType(Path file, String field, String name)
      throws CheckpointException {
    Class<?> c;
    try {
      c = Class.forName(name, false, classLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new CheckpointException(file + ": field '" + field + "': options class " + name
          + " is not on the class path (is the task's plug-in installed?)", e);
    }
    if (!TaskOptions.class.isAssignableFrom(c)) {
      throw new CheckpointException(file + ": field '" + field + "': " + name
          + " does not implement " + TaskOptions.class.getName());
    }
    return c.asSubclass(TaskOptions.class);
  }

  private static <T extends TaskOptions> T parse(
      Path file, String field, Class<T> type, ObjectNode values) throws CheckpointException {
    String source = file + ": field '" + field + "'";
    T defaults = defaultsOf(type);
    try {
      if (defaults != null) {
        return ConfigIO.parse(values.toString(), source, type, defaults);
      }
      return MAPPER.treeToValue(values, type);
    } catch (ConfigException e) {
      throw new CheckpointException(e.getMessage(), e);
    } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
      throw new CheckpointException(
          source + ": not valid " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  private static <T extends TaskOptions> T defaultsOf(Class<T> type) {
    try {
      Method m = type.getMethod("defaults");
      if (Modifier.isStatic(m.getModifiers()) && type.isAssignableFrom(m.getReturnType())) {
        return type.cast(m.invoke(null));
      }
    } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
      return null;
    }
    return null;
  }

  private static ClassLoader classLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : TaskOptionsJson.class.getClassLoader();
  }

  private static String describe(JsonNode node) {
    return ManifestJson.describe(node);
  }
}
