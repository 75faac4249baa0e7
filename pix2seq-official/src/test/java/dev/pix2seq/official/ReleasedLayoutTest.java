package dev.pix2seq.official;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.network.ParameterLayout;
import dev.pix2seq.api.network.ParameterSpec;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The released layout against the variable table of the full official multi-task ViT-B at 640
 * px ({@code official-golden/vit-b-640-variables.tsv}, listed by {@code
 * tools/official-golden/make_golden.py --structure vit-b-640} from the official code).
 */
class ReleasedLayoutTest {

  @Test
  void everyVariableOfTheOfficialVitB640MapsWithItsShape() throws Exception {
    Map<String, int[]> table = new TreeMap<>();
    long declaredParameters;
    try (InputStream in = getClass().getResourceAsStream(
            "/official-golden/vit-b-640-variables.tsv");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String header = r.readLine();
      Matcher m = Pattern.compile("variables=(\\d+) parameters=(\\d+)").matcher(header);
      assertTrue(m.find(), header);
      declaredParameters = Long.parseLong(m.group(2));
      String line;
      while ((line = r.readLine()) != null) {
        String[] f = line.split("\t");
        assertEquals("float32", f[1], line);
        table.put(f[0], Arrays.stream(f[2].split(",")).mapToInt(Integer::parseInt).toArray());
      }
      assertEquals(Integer.parseInt(m.group(1)), table.size());
    }
    ModelConfig config = OfficialArchitecture.fromShapes(table, 640, "vit-b-640-variables.tsv");
    int vocab = OfficialArchitecture.vocabSize(table, "vit-b-640-variables.tsv");
    assertEquals(35000, vocab);
    assertEquals(ModelConfig.preset("official-vit-b-640"), config,
        "the shapes give the official ViT-B network");

    Set<String> mapped = new HashSet<>();
    long values = 0;
    List<VariableMapping> mappings = ReleasedLayout.mappings(config, vocab);
    for (VariableMapping m : mappings) {
      for (int i = 0; i < m.keys().size(); i++) {
        String key = m.keys().get(i);
        assertTrue(table.containsKey(key), m.parameter() + " reads " + key
            + ", which the official model does not have");
        assertArrayEquals(table.get(key), m.keyShape(i), key);
        assertTrue(mapped.add(key), key + " is read twice");
        values += product(m.keyShape(i));
      }
    }
    assertEquals(table.keySet(), mapped, "every official variable is mapped");
    assertEquals(declaredParameters, values);
    long ours = ParameterLayout.of(config, vocab).specs().stream()
        .mapToLong(ParameterSpec::size).sum();
    assertEquals(declaredParameters, ours, "our layout holds the same number of values");
    List<String> ourNames = ParameterLayout.of(config, vocab).specs().stream()
        .map(ParameterSpec::name).toList();
    assertEquals(ourNames, mappings.stream().map(VariableMapping::parameter).toList(),
        "the mappings list our parameters in checkpoint order");
  }

  @Test
  void modelVariablesExcludeOptimizerStateAndCounters() {
    assertTrue(ReleasedLayout.isModelVariable(
        "model/encoder/stem_conv/kernel/.ATTRIBUTES/VARIABLE_VALUE"));
    for (String other : List.of(
        "model/encoder/stem_conv/kernel/.OPTIMIZER_SLOT/optimizer/m/.ATTRIBUTES/VARIABLE_VALUE",
        "optimizer/iter/.ATTRIBUTES/VARIABLE_VALUE", "global_step/.ATTRIBUTES/VARIABLE_VALUE",
        "save_counter/.ATTRIBUTES/VARIABLE_VALUE", "_CHECKPOINTABLE_OBJECT_GRAPH")) {
      assertTrue(!ReleasedLayout.isModelVariable(other), other);
    }
  }

  private static long product(int[] shape) {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }
}
