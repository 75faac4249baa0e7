package dev.pix2seq.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.InferenceConfig;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.tasks.detect.DetectionOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import dev.pix2seq.api.config.TaskStage;
import org.junit.jupiter.api.Test;

class DemoRecipeTest {

  @Test
  void stagesKeepTheirShareWhenTheStepsChangeAndLoseDroppedTasks() {
    DemoRecipe r = DemoRecipe.defaults().withTraining(1000, 16, 1e-3, 10)
        .withStages(List.of(new TaskStage(300, Map.of("detect", 1.0)),
            new TaskStage(100, Map.of("describe", 1.0))));
    assertEquals(List.of(new TaskStage(30, Map.of("detect", 1.0)),
        new TaskStage(10, Map.of("describe", 1.0))),
        r.withTraining(100, 16, 1e-3, 1).stages());
    assertEquals(List.of(new TaskStage(1, Map.of("detect", 1.0)),
        new TaskStage(1, Map.of("describe", 1.0))), r.withTraining(2, 16, 1e-3, 0).stages());
    assertEquals(List.of(new TaskStage(300, Map.of("detect", 1.0))),
        r.withTasks(List.of("detect", "segment")).stages());
    assertEquals(r.stages(), r.trainConfig(dev.pix2seq.api.config.Device.CPU).stages());
    assertEquals(List.of(),
        r.singleTaskConfig("detect", dev.pix2seq.api.config.Device.CPU).stages());
  }

  @Test
  void theDefaultsTrainTheDemoPresetOnAllFourTasksInFifteenMinutes() {
    DemoRecipe r = DemoRecipe.defaults();
    assertEquals(ModelConfig.preset("demo"), r.model());
    assertEquals(List.of("detect", "segment", "keypoint", "describe"), r.tasks());
    assertEquals(Duration.ofMinutes(15), r.budget());
    assertEquals(Duration.ofSeconds(810), r.trainingBudget());
    assertEquals(10, ((DetectionOptions) r.taskOptions().get("detect")).maxObjects());
    assertTrue(r.heldoutScenes().seed() != r.scenes().seed());
    TrainConfig t = r.trainConfig(Device.CPU);
    assertEquals(r.tasks(), t.tasks());
    assertEquals(r.steps(), t.steps());
    assertEquals(r.batchSize(), t.batchSize());
    assertEquals(0, t.checkpointEvery(), "one checkpoint, at the end");
  }

  @Test
  void aSingleTaskModelGetsItsShareOfTheSteps() {
    DemoRecipe r = DemoRecipe.defaults().withTraining(1000, 8, 2e-3, 100);
    TrainConfig single = r.singleTaskConfig("segment", Device.CPU);
    assertEquals(List.of("segment"), single.tasks());
    assertEquals(250, single.steps());
    assertEquals(25, single.warmupSteps());
    assertEquals(8, single.batchSize());
    assertEquals(2e-3, single.learningRate());
    assertEquals(Map.of(), single.taskWeights());
    assertEquals(Map.of("segment", r.taskOptions().get("segment")),
        r.taskOptionsOf(List.of("segment")));
    assertThrows(IllegalArgumentException.class,
        () -> r.withTasks(List.of("detect")).singleTaskConfig("segment", Device.CPU));
  }

  @Test
  void evaluationSettingsReachTheInferenceConfig() {
    InferenceConfig c = DemoRecipe.defaults().withEvaluation(5, 3, 2).withSeed(9)
        .inferenceConfig("tf", Device.CPU);
    assertEquals("tf", c.backend());
    assertEquals(5, c.batchSize());
    assertEquals(3, c.segmentationSamples());
    assertEquals(9, c.seed());
    assertEquals(InferenceConfig.DEFAULT_SAMPLERS, c.samplers());
  }

  @Test
  void fewerTasksDropTheirWeightsAndOptions() {
    DemoRecipe r = DemoRecipe.defaults().withTasks(List.of("describe", "detect"));
    assertEquals(List.of("describe", "detect"), r.tasks());
    assertEquals(2, r.taskWeights().size());
    assertEquals(2, r.taskOptions().size());
  }

  @Test
  void theJsonHoldsEveryChoice() {
    ObjectNode json = DemoRecipe.defaults().toJson();
    assertEquals(900.0, json.get("budgetSeconds").asDouble());
    assertEquals("demo", json.get("model").get("preset").asText());
    assertEquals(10, json.get("taskOptions").get("detect").get("maxObjects").asInt());
    assertEquals(2000, json.get("trainImages").asInt());
    assertEquals(128, json.get("scenes").get("width").asInt());
    assertEquals(0.9, json.get("trainShare").asDouble());
  }

  @Test
  void badRecipesAreRejectedWithTheReason() {
    DemoRecipe d = DemoRecipe.defaults();
    assertMessage("heldoutSeed must differ",
        () -> d.withScenes(d.scenes().withSeed(d.heldoutSeed())));
    assertMessage("built-in tasks", () -> d.withTasks(List.of("count")));
    assertMessage("distinct tasks", () -> d.withTasks(List.of("detect", "detect")));
    assertMessage("taskWeights names 'count'", () -> d.withTaskWeights(Map.of("count", 1.0)));
    assertMessage("budget must be positive", () -> d.withBudget(Duration.ZERO));
    assertMessage("heldoutImages must be >= 1", () -> d.withImages(10, 0));
    assertMessage("steps must be", () -> d.withTraining(0, 8, 1e-3, 0));
    assertMessage("learningRate must be > 0", () -> d.withTraining(10, 8, 0, 0));
    assertMessage("segmentationSamples must be >= 1", () -> d.withEvaluation(4, 0, 1));
  }

  private static void assertMessage(String part, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
