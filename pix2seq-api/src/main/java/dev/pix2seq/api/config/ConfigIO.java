package dev.pix2seq.api.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pix2seq.api.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads and writes the typed configs as JSON. A file overrides top-level fields of the defaults
 * (for {@link ModelConfig}: of the preset it names); unknown fields, wrong types, bad values and
 * newer versions fail with a {@link ConfigException} naming the source and the field.
 *
 * <pre>{@code
 * TrainConfig train = ConfigIO.read(Path.of("train.json"), TrainConfig.class, TrainConfig.defaults());
 * ModelConfig model = ConfigIO.readModel(Path.of("model.json"));
 * }</pre>
 */
public final class ConfigIO {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private ConfigIO() {}

  /** The mapper configured as configs need (strict on unknown fields); do not reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Reads {@code file} as overrides of {@code defaults}. */
  public static <T> T read(Path file, Class<T> type, T defaults) throws ConfigException {
    return parse(readText(file), file.toString(), type, defaults);
  }

  /** Parses {@code json} (from {@code source}, for messages) as overrides of {@code defaults}. */
  public static <T> T parse(String json, String source, Class<T> type, T defaults)
      throws ConfigException {
    ObjectNode overrides = parseObject(json, source);
    return merge(overrides, source, type, MAPPER.valueToTree(defaults));
  }

  /** Reads a model config: the preset it names ({@code tiny} if none), overridden by its fields. */
  public static ModelConfig readModel(Path file) throws ConfigException {
    return parseModel(readText(file), file.toString());
  }

  /** Parses a model config: the preset it names ({@code tiny} if none) with its overrides. */
  public static ModelConfig parseModel(String json, String source) throws ConfigException {
    ObjectNode overrides = parseObject(json, source);
    JsonNode presetNode = overrides.get("preset");
    String preset = presetNode == null ? "tiny" : presetNode.asText();
    ModelConfig base;
    try {
      base = ModelConfig.preset(preset);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(source + ": field 'preset': " + e.getMessage(), e);
    }
    return merge(overrides, source, ModelConfig.class, MAPPER.valueToTree(base));
  }

  /** Writes a config as pretty JSON, atomically (temp file in the same folder, then rename). */
  public static void write(Path file, Object config) throws IOException {
    writeAtomically(file, MAPPER.writeValueAsBytes(config));
  }

  /** Writes bytes to {@code file} through a temp file in the same folder and an atomic rename. */
  public static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      Files.write(tmp, bytes);
      makeWorldReadable(tmp);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Temp files are created owner-only; a finished file gets the usual rw-r--r--. */
  private static void makeWorldReadable(Path file) throws IOException {
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(
          file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  private static String readText(Path file) throws ConfigException {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read config: " + e.getMessage(), e);
    }
  }

  private static ObjectNode parseObject(String json, String source) throws ConfigException {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ConfigException(
          source + ": not valid JSON: " + e.getOriginalMessage() + " at line "
              + e.getLocation().getLineNr(), e);
    }
    if (!(node instanceof ObjectNode obj)) {
      throw new ConfigException(source + ": expected a JSON object at the top level");
    }
    return obj;
  }

  private static <T> T merge(ObjectNode overrides, String source, Class<T> type, ObjectNode base)
      throws ConfigException {
    JsonNode version = overrides.get("version");
    JsonNode current = base.get("version");
    if (version != null && current != null && version.isInt()
        && version.asInt() > current.asInt()) {
      throw new ConfigException(
          source + ": " + type.getSimpleName() + " version " + version.asInt()
              + " is newer than this build reads (" + current.asInt() + ")");
    }
    ObjectNode merged = base.deepCopy();
    Iterator<Map.Entry<String, JsonNode>> fields = overrides.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      merged.set(f.getKey(), f.getValue());
    }
    try {
      return MAPPER.treeToValue(merged, type);
    } catch (UnrecognizedPropertyException e) {
      String known =
          e.getKnownPropertyIds() == null
              ? ""
              : "; known fields: "
                  + e.getKnownPropertyIds().stream()
                      .map(Object::toString)
                      .sorted()
                      .collect(Collectors.joining(", "));
      throw new ConfigException(
          source + ": unknown field '" + jsonPath(e) + "' in " + type.getSimpleName() + known, e);
    } catch (JsonMappingException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      String detail = root == e ? e.getOriginalMessage() : root.getMessage();
      throw new ConfigException(
          source + ": bad value for '" + jsonPath(e) + "' in " + type.getSimpleName() + ": "
              + detail, e);
    } catch (JsonProcessingException e) {
      throw new ConfigException(source + ": " + e.getOriginalMessage(), e);
    }
  }

  private static String jsonPath(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.length() == 0 ? "(top level)" : sb.toString();
  }
}
