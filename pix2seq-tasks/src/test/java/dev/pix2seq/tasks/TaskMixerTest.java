package dev.pix2seq.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pix2seq.api.config.TrainConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TaskMixerTest {

  @Test
  void drawsTasksInProportionToTheirWeights() {
    Map<String, Double> w = new LinkedHashMap<>();
    w.put("detect", 2.0);
    w.put("segment", 1.0);
    w.put("describe", 1.0);
    w.put("keypoint", 0.0);
    TaskMixer mixer = new TaskMixer(w);
    Map<String, Integer> counts = new LinkedHashMap<>();
    SplittableRandom rng = new SplittableRandom(1);
    int n = 40_000;
    for (int i = 0; i < n; i++) {
      counts.merge(mixer.draw(rng), 1, Integer::sum);
    }
    assertEquals(0.5, counts.get("detect") / (double) n, 0.01);
    assertEquals(0.25, counts.get("segment") / (double) n, 0.01);
    assertEquals(null, counts.get("keypoint"));
    assertEquals(0.5, mixer.lossWeights().get("detect"), 1e-12);
    assertEquals(List.of("detect", "segment", "describe", "keypoint"), mixer.tasks());
  }

  @Test
  void followsTheTrainConfig() {
    TrainConfig c = TrainConfig.defaults();
    assertEquals(c.tasks(), TaskMixer.of(c).tasks());
    assertThrows(IllegalArgumentException.class, () -> new TaskMixer(Map.of("detect", 0.0)));
    assertThrows(IllegalArgumentException.class, () -> new TaskMixer(Map.of("detect", -1.0)));
  }
}
