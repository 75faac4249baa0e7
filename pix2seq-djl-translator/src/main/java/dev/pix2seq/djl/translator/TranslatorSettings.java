package dev.pix2seq.djl.translator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.pix2seq.api.ConfigException;
import dev.pix2seq.api.config.ConfigIO;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.InferenceConfig;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a translator is asked to do, read from DJL's Criteria arguments: the task (where the
 * input and output types leave a choice) and the {@link InferenceConfig}. The arguments named
 * like InferenceConfig fields are overrides of that config and are bound by {@link ConfigIO},
 * so they are checked exactly as a config file is; other arguments belong to DJL or to other
 * translators and are left alone.
 *
 * @param task the requested task, or null to use the types' default
 * @param inference samplers, batch size, segmentation samples, seed, backend and device
 */
record TranslatorSettings(String task, InferenceConfig inference) {

  /** Argument naming the task where the types allow several ({@code detect} or {@code segment}). */
  static final String TASK = "task";

  /** Argument naming an InferenceConfig JSON file, read before the other arguments apply. */
  static final String INFERENCE_CONFIG = "inferenceConfig";

  private static final String SOURCE = "DJL Criteria arguments";

  /**
   * Argument names that override InferenceConfig fields: the config's own field names, except
   * its format {@code version}.
   */
  static final Set<String> CONFIG_FIELDS =
      Stream.of(InferenceConfig.class.getRecordComponents())
          .map(RecordComponent::getName)
          .filter(name -> !name.equals("version"))
          .collect(Collectors.toUnmodifiableSet());

  TranslatorSettings {
    if (inference == null) {
      throw new IllegalArgumentException("translator settings need an inference config");
    }
  }

  /**
   * Settings from Criteria arguments. The config starts from {@link InferenceConfig#defaults()}
   * with the device of the DJL model, then the file of {@value #INFERENCE_CONFIG} (if given),
   * then the arguments named like its fields ({@code batchSize}, {@code segmentationSamples},
   * {@code seed}, {@code device}, {@code backend}, {@code samplers} as a JSON object).
   *
   * @param arguments the Criteria arguments (values as strings, numbers or maps)
   * @param djlDevice the device the DJL model was loaded for
   * @throws ConfigException naming the argument when a value is malformed or out of range
   */
  static TranslatorSettings of(Map<String, ?> arguments, ai.djl.Device djlDevice)
      throws ConfigException {
    InferenceConfig d = InferenceConfig.defaults();
    InferenceConfig config = new InferenceConfig(d.version(), d.backend(),
        djlDevice != null && djlDevice.isGpu() ? Device.GPU : Device.CPU, d.samplers(),
        d.segmentationSamples(), d.batchSize(), d.seed());
    Object file = arguments.get(INFERENCE_CONFIG);
    if (file != null) {
      config = ConfigIO.read(Path.of(file.toString()), InferenceConfig.class, config);
    }
    ObjectMapper mapper = ConfigIO.mapper();
    ObjectNode overrides = mapper.createObjectNode();
    for (Map.Entry<String, ?> e : new TreeMap<>(arguments).entrySet()) {
      if (CONFIG_FIELDS.contains(e.getKey()) && e.getValue() != null) {
        overrides.set(e.getKey(), toJson(mapper, e.getKey(), e.getValue()));
      }
    }
    if (!overrides.isEmpty()) {
      try {
        config = ConfigIO.parse(
            mapper.writeValueAsString(overrides), SOURCE, InferenceConfig.class, config);
      } catch (JsonProcessingException e) {
        throw new ConfigException(SOURCE + ": cannot represent the arguments as JSON: "
            + e.getOriginalMessage(), e);
      }
    }
    Object task = arguments.get(TASK);
    return new TranslatorSettings(task == null ? null : task.toString(), config);
  }

  /** A string holding a JSON object (e.g. {@code samplers}) is parsed; other values as they are. */
  private static JsonNode toJson(ObjectMapper mapper, String name, Object value)
      throws ConfigException {
    if (value instanceof String s) {
      if (!s.strip().startsWith("{")) {
        return TextNode.valueOf(s);
      }
      try {
        return mapper.readTree(s);
      } catch (JsonProcessingException e) {
        throw new ConfigException(SOURCE + ": argument '" + name + "' is not valid JSON: "
            + e.getOriginalMessage(), e);
      }
    }
    return mapper.valueToTree(value);
  }
}
