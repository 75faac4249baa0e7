package dev.pix2seq.demo.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pix2seq.api.config.ConfigIO;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Metric values in JSON: a number, or {@code null} where the value is undefined (NaN, such as a
 * COCO AP without ground truth), since JSON has no NaN. Stateless.
 */
public final class MetricJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private MetricJson() {}

  /** A new empty JSON object. */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** Puts {@code value} under {@code key}, or null when it is not finite. */
  public static void put(ObjectNode node, String key, double value) {
    if (Double.isFinite(value)) {
      node.put(key, value);
    } else {
      node.putNull(key);
    }
  }

  /** The metrics as a JSON object, in the map's order. */
  public static ObjectNode of(Map<String, Double> metrics) {
    ObjectNode node = object();
    metrics.forEach((k, v) -> put(node, k, v));
    return node;
  }

  /** Appends {@code value} to an array, or null when it is not finite. */
  public static void add(ArrayNode array, double value) {
    if (Double.isFinite(value)) {
      array.add(value);
    } else {
      array.addNull();
    }
  }

  /** Writes a JSON object, indented, atomically (creating missing folders). */
  public static void write(Path file, ObjectNode node) throws IOException {
    ConfigIO.writeAtomically(file, MAPPER.writeValueAsBytes(node));
  }
}
