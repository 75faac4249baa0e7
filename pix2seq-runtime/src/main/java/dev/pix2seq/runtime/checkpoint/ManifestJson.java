package dev.pix2seq.runtime.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.config.ConfigIO;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.vocab.VocabLayout;
import dev.pix2seq.tasks.TaskOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads and writes {@code model.json}; every read error names the file and the field. */
final class ManifestJson {
  /** Value of the {@code format} field, telling a checkpoint manifest from other JSON. */
  static final String FORMAT = "pix2seq-checkpoint";

  /** Every top-level field of the manifest, in the order they are written. */
  static final List<String> FIELDS = List.of("format", "formatVersion", "model", "vocabSize",
      "layout", "categories", "tasks", "taskOptions", "provenance");

  private static final ObjectMapper MAPPER = ConfigIO.mapper();
  private static final TypeReference<List<Category>> CATEGORIES = new TypeReference<>() {};

  private ManifestJson() {}

  static byte[] toBytes(CheckpointManifest m) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("formatVersion", m.formatVersion());
    root.set("model", MAPPER.valueToTree(m.model()));
    root.put("vocabSize", m.vocabSize());
    root.set("layout", MAPPER.valueToTree(m.layout()));
    root.set("categories", MAPPER.valueToTree(m.categories()));
    ArrayNode tasks = root.putArray("tasks");
    m.tasks().forEach(tasks::add);
    ObjectNode options = root.putObject("taskOptions");
    m.taskOptions().forEach((task, o) -> options.set(task, TaskOptionsJson.write(o)));
    root.set("provenance", MAPPER.valueToTree(m.provenance()));
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a checkpoint manifest", e);
    }
  }

  static CheckpointManifest read(Path file) throws CheckpointException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CheckpointException(file + ": file not found; a checkpoint directory holds "
          + Checkpoint.MODEL_FILE + ", vocab.json, tokenizer.json and " + Checkpoint.WEIGHTS_FILE,
          e);
    } catch (IOException e) {
      throw new CheckpointException(file + ": cannot read: " + e.getMessage(), e);
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new CheckpointException(file + ": not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new CheckpointException(file + ": expected a JSON object at the top level");
    }
    for (String field : (Iterable<String>) root::fieldNames) {
      if (!FIELDS.contains(field)) {
        throw new CheckpointException(file + ": unknown field '" + field + "'; a checkpoint "
            + "manifest has the fields " + FIELDS);
      }
    }
    JsonNode format = root.get("format");
    if (format == null || !FORMAT.equals(format.asText())) {
      throw new CheckpointException(file + ": field 'format' must be \"" + FORMAT + "\", found "
          + describe(format) + " (not a pix2seq checkpoint manifest)");
    }
    int version = requireInt(file, root, "formatVersion");
    if (version > CheckpointManifest.CURRENT_FORMAT_VERSION) {
      throw new CheckpointException(file + ": field 'formatVersion' is " + version
          + ", newer than this build reads (" + CheckpointManifest.CURRENT_FORMAT_VERSION + ")");
    }
    if (version != CheckpointManifest.CURRENT_FORMAT_VERSION) {
      throw new CheckpointException(file + ": field 'formatVersion' must be "
          + CheckpointManifest.CURRENT_FORMAT_VERSION + ", found " + version);
    }
    ModelConfig model = bind(file, root, "model", ModelConfig.class);
    int vocabSize = requireInt(file, root, "vocabSize");
    VocabLayout layout = bind(file, root, "layout", VocabLayout.class);
    List<Category> categories;
    JsonNode categoriesNode = require(file, root, "categories");
    try {
      categories = MAPPER.readerFor(CATEGORIES).readValue(categoriesNode);
    } catch (IOException | IllegalArgumentException e) {
      throw new CheckpointException(
          file + ": field 'categories': not a valid category list: " + e.getMessage(), e);
    }
    List<String> tasks = new ArrayList<>();
    JsonNode tasksNode = require(file, root, "tasks");
    if (!tasksNode.isArray()) {
      throw new CheckpointException(
          file + ": field 'tasks' must be an array of task names, found " + describe(tasksNode));
    }
    for (int i = 0; i < tasksNode.size(); i++) {
      JsonNode t = tasksNode.get(i);
      if (!t.isTextual() || t.asText().isBlank()) {
        throw new CheckpointException(
            file + ": field 'tasks[" + i + "]' must be a task name, found " + describe(t));
      }
      tasks.add(t.asText());
    }
    Map<String, TaskOptions> options = new LinkedHashMap<>();
    JsonNode optionsNode = root.get("taskOptions");
    if (optionsNode != null && !optionsNode.isNull()) {
      if (!optionsNode.isObject()) {
        throw new CheckpointException(file + ": field 'taskOptions' must be an object, found "
            + describe(optionsNode));
      }
      for (Map.Entry<String, JsonNode> e : optionsNode.properties()) {
        options.put(e.getKey(),
            TaskOptionsJson.read(file, "taskOptions." + e.getKey(), e.getValue()));
      }
    }
    Provenance provenance = bind(file, root, "provenance", Provenance.class);
    try {
      return new CheckpointManifest(
          version, model, vocabSize, layout, categories, tasks, options, provenance);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(file + ": inconsistent manifest: " + e.getMessage(), e);
    }
  }

  private static JsonNode require(Path file, JsonNode root, String field)
      throws CheckpointException {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      throw new CheckpointException(file + ": field '" + field + "' is missing");
    }
    return n;
  }

  private static int requireInt(Path file, JsonNode root, String field)
      throws CheckpointException {
    JsonNode n = require(file, root, field);
    if (!n.isInt()) {
      throw new CheckpointException(
          file + ": field '" + field + "' must be an integer, found " + describe(n));
    }
    return n.asInt();
  }

  private static <T> T bind(Path file, JsonNode root, String field, Class<T> type)
      throws CheckpointException {
    JsonNode n = require(file, root, field);
    try {
      return MAPPER.treeToValue(n, type);
    } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
      String path = field + jsonPath(e);
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      String detail = cause == e ? e.getOriginalMessage() : cause.getMessage();
      throw new CheckpointException(file + ": field '" + path + "': not a valid "
          + type.getSimpleName() + ": " + detail, e);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new CheckpointException(file + ": field '" + field + "': not a valid "
          + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  private static String jsonPath(com.fasterxml.jackson.databind.JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (com.fasterxml.jackson.databind.JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        sb.append('.').append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  static String describe(JsonNode node) {
    if (node == null) {
      return "nothing";
    }
    String text = node.toString();
    if (text.length() > 60) {
      text = text.substring(0, 57) + "...";
    }
    return node.getNodeType().toString().toLowerCase(Locale.ROOT) + " " + text;
  }
}
