package dev.pix2seq.djl.translator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.ConfigException;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.InferenceConfig;
import dev.pix2seq.api.sampling.SamplerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Criteria arguments into translator settings. */
class TranslatorSettingsTest {
  @TempDir Path tmp;

  @Test
  void noArgumentsGiveTheDefaultsOnTheModelsDevice() throws Exception {
    TranslatorSettings s = TranslatorSettings.of(Map.of(), ai.djl.Device.cpu());
    assertNull(s.task());
    assertEquals(InferenceConfig.defaults(), s.inference());
    assertEquals(Device.GPU, TranslatorSettings.of(Map.of(), ai.djl.Device.gpu())
        .inference().device());
  }

  @Test
  void argumentsNamedLikeConfigFieldsOverrideIt() throws Exception {
    Map<String, Object> args = new HashMap<>();
    args.put("batchSize", "3");
    args.put("seed", 9L);
    args.put("segmentationSamples", 2);
    args.put("samplers", "{\"detect\": {\"type\": \"top-k\", \"k\": 5}}");
    args.put("task", "segment");
    args.put("application", "cv/object_detection");
    TranslatorSettings s = TranslatorSettings.of(args, ai.djl.Device.cpu());
    assertEquals("segment", s.task());
    assertEquals(3, s.inference().batchSize());
    assertEquals(9L, s.inference().seed());
    assertEquals(2, s.inference().segmentationSamples());
    assertEquals(SamplerSpec.Type.TOP_K, s.inference().samplerFor("detect").type());
    assertEquals(5, s.inference().samplerFor("detect").k());
  }

  @Test
  void aConfigFileComesBeforeTheArguments() throws Exception {
    Path file = tmp.resolve("inference.json");
    Files.writeString(file, "{\"batchSize\": 4, \"seed\": 1}");
    TranslatorSettings s = TranslatorSettings.of(
        Map.of("inferenceConfig", file.toString(), "seed", "2"), ai.djl.Device.cpu());
    assertEquals(4, s.inference().batchSize());
    assertEquals(2L, s.inference().seed());
  }

  @Test
  void badValuesFailNamingTheArgument() {
    ConfigException range = assertThrows(ConfigException.class,
        () -> TranslatorSettings.of(Map.of("batchSize", "0"), ai.djl.Device.cpu()));
    assertTrue(range.getMessage().contains("batchSize"), range.getMessage());
    ConfigException json = assertThrows(ConfigException.class,
        () -> TranslatorSettings.of(Map.of("samplers", "{detect"), ai.djl.Device.cpu()));
    assertTrue(json.getMessage().contains("'samplers' is not valid JSON"), json.getMessage());
    ConfigException device = assertThrows(ConfigException.class,
        () -> TranslatorSettings.of(Map.of("device", "tpu"), ai.djl.Device.cpu()));
    assertTrue(device.getMessage().contains("device"), device.getMessage());
  }
}
