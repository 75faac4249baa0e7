package dev.pix2seq.api.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.config.ModelConfig;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The parameter layout every backend builds its network from (docs/checkpoint-format.md). */
class ParameterLayoutTest {

  @Test
  void parameterNamesAreUniqueAndDecayOnlyHitsMatrices() {
    ParameterLayout layout = ParameterLayout.of(ModelConfig.preset("base"), 4000);
    Set<String> names = new HashSet<>();
    for (ParameterSpec spec : layout.specs()) {
      assertTrue(names.add(spec.name()), spec.name());
      assertEquals(spec.shape().length >= 2 && !spec.name().equals("decoder.position_embedding"),
          spec.decayed(), spec.name());
    }
    assertFalse(names.contains("encoder.stem.0.weight"));
  }

  @Test
  void documentedSizesOfThePresets() {
    assertEquals(1_701_024, ParameterLayout.of(ModelConfig.preset("tiny"), 4096).parameterCount());
    assertEquals(91, ParameterLayout.of(ModelConfig.preset("tiny"), 4096).specs().size());
    assertEquals(2_389_344, ParameterLayout.of(ModelConfig.preset("demo"), 4096).parameterCount());
    assertEquals(115_732_224,
        ParameterLayout.of(ModelConfig.preset("base"), 4096).parameterCount());
    assertEquals(285, ParameterLayout.of(ModelConfig.preset("base"), 4096).specs().size());
  }
}
