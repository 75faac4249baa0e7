package dev.pix2seq.djl.network;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.pix2seq.api.checkpoint.NamedTensor;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.network.InitialWeights;
import dev.pix2seq.api.network.ParameterLayout;
import dev.pix2seq.api.testing.ModelFixtures;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Inference in blocks (images encoded a few at a time, attention scores a few queries at a time)
 * computes what the whole batch at once computes.
 */
class BlockedInferenceTest {

  @Test
  void blockedEncodingAndAttentionEqualTheWholeBatch() {
    for (boolean convStem : new boolean[] {false, true}) {
      ModelConfig config = ModelFixtures.smallConfig(convStem);
      ParameterLayout layout = ParameterLayout.of(config, ModelFixtures.VOCAB);
      // every weight random (a fresh network's cross-attention output is zero)
      Random noise = new Random(5);
      Map<String, NamedTensor> weights = new LinkedHashMap<>();
      for (NamedTensor t : InitialWeights.draw(layout, 5)) {
        float[] data = t.data().clone();
        for (int i = 0; i < data.length; i++) {
          data[i] += (float) (0.2 * noise.nextGaussian());
        }
        weights.put(t.name(), new NamedTensor(t.name(), t.shape(), data));
      }
      try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
        Parameters parameters = Parameters.fromTensors(layout, weights, manager);
        Pix2seqNetwork whole = new Pix2seqNetwork(parameters, manager);
        // 64 floats: one image a block, one or two queries an attention block; 150: blocks of
        // 4 + 2 decoder queries, so the causal mask is cut unevenly
        Pix2seqNetwork[] networks = {whole, new Pix2seqNetwork(parameters, manager, 64),
            new Pix2seqNetwork(parameters, manager, 150)};
        int side = config.imageSize();
        float[] pixels = new float[3 * 3 * side * side];
        Random random = new Random(2);
        for (int i = 0; i < pixels.length; i++) {
          pixels[i] = random.nextFloat();
        }
        int[][] tokens = ModelFixtures.tokens(3, 6, ModelFixtures.VOCAB, 4);
        long[] flat = new long[18];
        for (int i = 0; i < flat.length; i++) {
          flat[i] = tokens[i / 6][i % 6];
        }
        float[][] results = new float[networks.length][];
        for (int n = 0; n < networks.length; n++) {
          try (NDManager temp = manager.newSubManager();
              GradientMode off = GradientMode.off()) {
            Pass pass = Pass.inference(temp);
            NDArray memory = networks[n].encode(pass,
                temp.create(pixels, new Shape(3, 3, side, side)));
            NDArray hidden = networks[n].decode(pass, temp.create(flat, new Shape(3, 6)), 0, null,
                networks[n].crossKeysValues(memory));
            results[n] = networks[n].logits(hidden).toFloatArray();
          }
        }
        for (int n = 1; n < networks.length; n++) {
          float diff = ModelFixtures.maxAbsDiff(results[0], results[n]);
          assertTrue(diff < 1e-5f, "convStem " + convStem + ", blocking " + n
              + ": blocked logits differ by " + diff);
        }
      }
    }
  }
}
