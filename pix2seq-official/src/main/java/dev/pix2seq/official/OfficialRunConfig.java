package dev.pix2seq.official;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pix2seq.api.ConfigException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an import takes from an official run's {@code config.json} (the file the official trainer
 * writes into its model folder): the image size, the vocabulary's offsets, the tasks with their
 * prompt tokens, and the network sizes to check against the checkpoint. Options that select
 * another network than the one this library runs (a ResNet encoder, learned visual positions, a
 * class token, separate output embeddings) are refused by name; every other field is ignored.
 *
 * @param imageSize side of the square model input
 * @param coordShift first coordinate token ({@code model.coord_vocab_shift})
 * @param textShift first text token ({@code model.text_vocab_shift})
 * @param coordBins coordinate bins ({@code quantization_bins} of the tasks; 1000 when no task
 *     gives it)
 * @param taskTokens our task names to their prompt tokens, in the config's task order
 * @param modelSizes the config's network sizes by official field name, to check against the
 *     checkpoint
 */
public record OfficialRunConfig(
    int imageSize, int coordShift, int textShift, int coordBins,
    Map<String, Integer> taskTokens, Map<String, Integer> modelSizes) {

  /** Official task names and the names of our task plug-ins. */
  static final Map<String, String> TASK_NAMES = Map.of(
      "object_detection", "detect",
      "instance_segmentation", "segment",
      "keypoint_detection", "keypoint",
      "captioning", "describe");

  /** The official model fields that carry a size, checked against the checkpoint's shapes. */
  static final List<String> SIZE_FIELDS = List.of("patch_size", "num_encoder_layers", "dim_att",
      "dim_mlp", "num_heads", "num_decoder_layers", "dim_att_dec", "dim_mlp_dec",
      "num_heads_dec", "max_seq_len", "vocab_size");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  public OfficialRunConfig {
    taskTokens = Collections.unmodifiableMap(new LinkedHashMap<>(taskTokens));
    modelSizes = Collections.unmodifiableMap(new LinkedHashMap<>(modelSizes));
  }

  /**
   * Reads an official {@code config.json}.
   *
   * @throws ConfigException naming the file and the field when it cannot be read, a required
   *     field is missing or has the wrong type, or the config selects a network this library does
   *     not run
   */
  public static OfficialRunConfig read(Path file) throws ConfigException {
    JsonNode root;
    try {
      root = MAPPER.readTree(file.toFile());
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      throw new ConfigException(file + ": no such file", e);
    } catch (IOException e) {
      throw new ConfigException(file + ": not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException(file + ": expected a JSON object (an official run's config.json)");
    }
    JsonNode model = root.get("model");
    if (model == null || !model.isObject()) {
      throw new ConfigException(file + ": field 'model' is missing; expected the official run's "
          + "config.json, which has a 'model' entry");
    }
    requireText(file, model, "name", "encoder_ar_decoder");
    requireText(file, model, "resnet_variant", "c1");
    requireText(file, model, "pos_encoding", "sin_cos");
    requireText(file, model, "pos_encoding_dec", "learned");
    requireText(file, model, "dec_proj_mode", "mlp");
    requireBoolean(file, model, "shared_decoder_embedding", true);
    requireBoolean(file, model, "decoder_output_bias", true);
    requireBoolean(file, model, "use_cls_token", false);
    int imageSize = imageSize(file, model.get("image_size"));
    int coordShift = intField(file, model, "coord_vocab_shift");
    int textShift = intField(file, model, "text_vocab_shift");
    Map<String, Integer> sizes = new LinkedHashMap<>();
    for (String field : SIZE_FIELDS) {
      JsonNode n = model.get(field);
      if (n != null && !n.isNull()) {
        sizes.put(field, intField(file, model, field));
      }
    }
    Map<String, Integer> tasks = new LinkedHashMap<>();
    Integer bins = null;
    JsonNode taskList = root.get("tasks");
    if (taskList == null || !taskList.isArray()) {
      JsonNode single = root.get("task");
      taskList = single == null ? null : MAPPER.createArrayNode().add(single);
    }
    if (taskList == null) {
      throw new ConfigException(file + ": field 'tasks' is missing; expected the list of the "
          + "run's tasks with their 'name' and 'vocab_id'");
    }
    for (int i = 0; i < taskList.size(); i++) {
      JsonNode task = taskList.get(i);
      String where = "tasks[" + i + "]";
      JsonNode name = task.get("name");
      if (name == null || !name.isTextual()) {
        throw new ConfigException(file + ": field '" + where + ".name' is missing");
      }
      String ours = TASK_NAMES.get(name.asText());
      if (ours == null) {
        throw new ConfigException(file + ": field '" + where + ".name' is '" + name.asText()
            + "'; this library runs " + String.join(", ", new java.util.TreeSet<>(TASK_NAMES.keySet())));
      }
      tasks.put(ours, intField(file, task, "vocab_id", where));
      JsonNode taskBins = task.get("quantization_bins");
      if (taskBins != null && !taskBins.isNull()) {
        int b = intField(file, task, "quantization_bins", where);
        if (bins != null && bins != b) {
          throw new ConfigException(file + ": field '" + where + ".quantization_bins' is " + b
              + " but an earlier task has " + bins + "; one vocabulary needs one bin count");
        }
        bins = b;
      }
    }
    return new OfficialRunConfig(
        imageSize, coordShift, textShift, bins == null ? 1000 : bins, tasks, sizes);
  }

  private static int imageSize(Path file, JsonNode node) throws ConfigException {
    if (node == null || node.isNull()) {
      throw new ConfigException(file + ": field 'model.image_size' is missing");
    }
    List<Integer> sides = new ArrayList<>();
    if (node.isInt()) {
      sides.add(node.asInt());
    } else if (node.isArray() && node.size() == 2 && node.get(0).isInt() && node.get(1).isInt()) {
      sides.add(node.get(0).asInt());
      sides.add(node.get(1).asInt());
    } else {
      throw new ConfigException(file + ": field 'model.image_size' must be [height, width], found "
          + node);
    }
    if (sides.size() == 2 && !sides.get(0).equals(sides.get(1))) {
      throw new ConfigException(file + ": field 'model.image_size' is " + node
          + "; this library runs square inputs only");
    }
    return sides.get(0);
  }

  private static void requireText(Path file, JsonNode model, String field, String expected)
      throws ConfigException {
    JsonNode n = model.get(field);
    if (n != null && !n.isNull() && !expected.equals(n.asText())) {
      throw new ConfigException(file + ": field 'model." + field + "' is '" + n.asText()
          + "'; this library runs the official network with " + field + " '" + expected + "'");
    }
  }

  private static void requireBoolean(Path file, JsonNode model, String field, boolean expected)
      throws ConfigException {
    JsonNode n = model.get(field);
    if (n != null && !n.isNull() && (!n.isBoolean() || n.asBoolean() != expected)) {
      throw new ConfigException(file + ": field 'model." + field + "' is " + n
          + "; this library runs the official network with " + field + " " + expected);
    }
  }

  private static int intField(Path file, JsonNode node, String field) throws ConfigException {
    return intField(file, node, field, "model");
  }

  private static int intField(Path file, JsonNode node, String field, String where)
      throws ConfigException {
    JsonNode n = node.get(field);
    if (n == null || n.isNull()) {
      throw new ConfigException(file + ": field '" + where + "." + field + "' is missing");
    }
    if (!n.canConvertToInt() || !n.isIntegralNumber()) {
      throw new ConfigException(file + ": field '" + where + "." + field
          + "' must be an integer, found " + n);
    }
    return n.asInt();
  }
}
