package dev.pix2seq.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.ConfigException;
import dev.pix2seq.api.sampling.SamplerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigIOTest {

  @Test
  void trainStagesReadFromJsonAndDefaultToNone() throws Exception {
    TrainConfig c = ConfigIO.parse("{\"steps\": 50, \"stages\": [{\"steps\": 20, "
        + "\"taskWeights\": {\"detect\": 1.0}}]}", "train.json", TrainConfig.class,
        TrainConfig.defaults());
    assertEquals(List.of(new TaskStage(20, Map.of("detect", 1.0))), c.stages());
    assertEquals(Map.of("detect", 1.0, "segment", 0.0, "keypoint", 0.0, "describe", 0.0),
        c.weightsAt(19));
    assertEquals(Map.of("detect", 1.0, "segment", 1.0, "keypoint", 1.0, "describe", 1.0),
        c.weightsAt(20));
    assertEquals(List.of(), TrainConfig.defaults().stages());
    ConfigException tooLong = assertThrows(ConfigException.class,
        () -> ConfigIO.parse("{\"steps\": 10, \"stages\": [{\"steps\": 20, "
            + "\"taskWeights\": {\"detect\": 1.0}}]}", "train.json", TrainConfig.class,
            TrainConfig.defaults()));
    assertTrue(tooLong.getMessage().contains("20"), tooLong.getMessage());
    ConfigException unknown = assertThrows(ConfigException.class,
        () -> ConfigIO.parse("{\"stages\": [{\"steps\": 2, \"taskWeights\": "
            + "{\"track\": 1.0}}]}", "train.json", TrainConfig.class, TrainConfig.defaults()));
    assertTrue(unknown.getMessage().contains("track"), unknown.getMessage());
  }

  @Test
  void writtenConfigsReadBackEqual(@TempDir Path dir) throws Exception {
    Path t = dir.resolve("train.json");
    ConfigIO.write(t, TrainConfig.defaults());
    assertEquals(TrainConfig.defaults(), ConfigIO.read(t, TrainConfig.class, TrainConfig.defaults()));
    Path i = dir.resolve("inference.json");
    ConfigIO.write(i, InferenceConfig.defaults());
    assertEquals(
        InferenceConfig.defaults(),
        ConfigIO.read(i, InferenceConfig.class, InferenceConfig.defaults()));
    Path m = dir.resolve("model.json");
    ConfigIO.write(m, ModelConfig.preset("small"));
    assertEquals(ModelConfig.preset("small"), ConfigIO.readModel(m));
    try (var files = Files.list(dir)) {
      assertEquals(3, files.count(), "no temp files left behind");
    }
  }

  @Test
  void fieldsOverrideDefaults() throws Exception {
    TrainConfig c =
        ConfigIO.parse(
            "{\"steps\": 7, \"device\": \"gpu\", \"taskWeights\": {\"detect\": 2.5}}",
            "train.json", TrainConfig.class, TrainConfig.defaults());
    assertEquals(7, c.steps());
    assertEquals(Device.GPU, c.device());
    assertEquals(2.5, c.weightOf("detect"));
    assertEquals(1.0, c.weightOf("describe"));
    assertEquals(TrainConfig.defaults().learningRate(), c.learningRate());
  }

  @Test
  void modelConfigStartsFromItsPreset() throws Exception {
    ModelConfig c = ConfigIO.parseModel("{\"preset\": \"base\", \"decoderLayers\": 3}", "m.json");
    assertEquals(3, c.decoderLayers());
    assertEquals(640, c.imageSize());
    assertEquals(1600, c.imageTokens());
    assertEquals("tiny", ConfigIO.parseModel("{}", "m.json").preset());
  }

  @Test
  void unknownFieldIsNamedWithTheSource() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ConfigIO.parse("{\"stepz\": 7}", "train.json", TrainConfig.class,
                TrainConfig.defaults()));
    assertTrue(e.getMessage().contains("train.json"), e.getMessage());
    assertTrue(e.getMessage().contains("'stepz'"), e.getMessage());
    assertTrue(e.getMessage().contains("steps"), "lists known fields: " + e.getMessage());
  }

  @Test
  void unknownNestedFieldIsNamedWithItsPath() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ConfigIO.parse(
                "{\"samplers\": {\"detect\": {\"type\": \"top-p\", \"q\": 0.3}}}", "inf.json",
                InferenceConfig.class, InferenceConfig.defaults()));
    assertTrue(e.getMessage().contains("samplers.detect.q"), e.getMessage());
  }

  @Test
  void badValuesAreNamed() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ConfigIO.parse("{\"batchSize\": 0}", "train.json", TrainConfig.class,
                TrainConfig.defaults()));
    assertTrue(e.getMessage().contains("batchSize must be > 0, found 0"), e.getMessage());
    ConfigException device =
        assertThrows(
            ConfigException.class,
            () -> ConfigIO.parse("{\"device\": \"tpu\"}", "train.json", TrainConfig.class,
                TrainConfig.defaults()));
    assertTrue(device.getMessage().contains("'device'"), device.getMessage());
    ConfigException preset =
        assertThrows(ConfigException.class, () -> ConfigIO.parseModel("{\"preset\": \"huge\"}", "m"));
    assertTrue(preset.getMessage().contains("base, demo, official, official-vit-b-1024,"
        + " official-vit-b-640, official-vit-l-640, small, tiny"), preset.getMessage());
    ConfigException json =
        assertThrows(ConfigException.class, () -> ConfigIO.parseModel("{\"preset\": ", "m.json"));
    assertTrue(json.getMessage().startsWith("m.json: not valid JSON"), json.getMessage());
  }

  @Test
  void newerVersionIsRejected() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ConfigIO.parse("{\"version\": 2}", "inf.json", InferenceConfig.class,
                InferenceConfig.defaults()));
    assertTrue(e.getMessage().contains("newer"), e.getMessage());
  }

  @Test
  void samplerSpecsReadWithDefaultsPerField() throws Exception {
    InferenceConfig c =
        ConfigIO.parse(
            "{\"samplers\": {\"detect\": {\"type\": \"top-k\", \"k\": 5}}}", "inf.json",
            InferenceConfig.class, InferenceConfig.defaults());
    assertEquals(SamplerSpec.topK(5), c.samplerFor("detect"));
    assertEquals(SamplerSpec.greedy(), c.samplerFor("describe"));
    assertEquals(SamplerSpec.topP(0.8), c.samplerFor("segment"));
    assertEquals(SamplerSpec.greedy(), c.samplerFor("a-plugin-task"));
  }
}
