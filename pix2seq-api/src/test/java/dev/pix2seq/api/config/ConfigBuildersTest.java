package dev.pix2seq.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pix2seq.api.sampling.SamplerSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigBuildersTest {

  @Test
  void aTrainConfigBuilderChangesOnlyWhatItIsToldAndChecksTheWhole() {
    assertEquals(TrainConfig.defaults(), TrainConfig.builder().build());
    TrainConfig.Builder builder = TrainConfig.builder()
        .tasks(List.of("detect", "describe")).taskWeights(Map.of("describe", 0.5))
        .mixing("summed").steps(2000).batchSize(8).learningRate(3e-4).weightDecay(0.01)
        .beta1(0.8).beta2(0.99).warmupSteps(50).schedule("cosine").gradientClipNorm(0)
        .seed(7).checkpointEvery(500).logEvery(20).device(Device.GPU)
        .stages(List.of(new TaskStage(100, Map.of("detect", 1.0))));
    TrainConfig built = builder.build();
    TrainConfig d = TrainConfig.defaults();
    assertEquals(new TrainConfig(d.version(), List.of("detect", "describe"),
        Map.of("describe", 0.5), "summed", 2000, 8, 3e-4, 0.01, 0.8, 0.99, 50, "cosine", 0, 7L,
        500, 20, Device.GPU, List.of(new TaskStage(100, Map.of("detect", 1.0)))), built);
    assertEquals(built, built.toBuilder().build());
    builder.steps(10);
    assertEquals(2000, built.steps(), "a built config does not follow its builder");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainConfig.builder().learningRate(-1).build());
    assertEquals("learningRate must be > 0, found -1.0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> TrainConfig.builder().tasks(List.of("detect")).steps(10)
            .stages(List.of(new TaskStage(5, Map.of("describe", 1.0)))).build());
    assertEquals("stages[0] weighs 'describe', which is not among the tasks [detect]",
        e.getMessage());
  }

  @Test
  void anInferenceConfigBuilderSetsOneSamplerAndKeepsTheOthers() {
    assertEquals(InferenceConfig.defaults(), InferenceConfig.builder().build());
    InferenceConfig c = InferenceConfig.builder().backend("tf").device(Device.CPU)
        .sampler("detect", SamplerSpec.greedy()).segmentationSamples(4).batchSize(2).seed(3)
        .build();
    assertEquals("tf", c.backend());
    assertEquals(SamplerSpec.greedy(), c.samplerFor("detect"));
    assertEquals(InferenceConfig.DEFAULT_SAMPLERS.get("segment"), c.samplerFor("segment"));
    assertEquals(4, c.segmentationSamples());
    assertEquals(2, c.batchSize());
    assertEquals(3L, c.seed());
    assertEquals(c, c.toBuilder().build());
    assertEquals(Map.of("keypoint", SamplerSpec.greedy()), InferenceConfig.builder()
        .samplers(Map.of()).sampler("keypoint", SamplerSpec.greedy()).build().samplers());

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> InferenceConfig.builder().backend(" ").build());
    assertEquals("backend must name a backend, e.g. djl or tf", e.getMessage());
  }
}
