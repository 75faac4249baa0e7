package dev.pix2seq.tf;

import static dev.pix2seq.api.testing.ModelFixtures.VOCAB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.checkpoint.NamedTensor;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.testing.ModelFixtures;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.api.network.CoordinateCode;
import dev.pix2seq.api.network.SinCosPositions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The TensorFlow graph against the plain-Java float64 reference of the documented math. */
class ForwardParityTest {

  private static final double TOLERANCE = 1e-4;

  @ParameterizedTest(name = "convStem={0}")
  @ValueSource(booleans = {true, false})
  void logitsMatchTheDocumentedMath(boolean stem, @TempDir Path dir) throws CheckpointException {
    ModelConfig config = ModelFixtures.smallConfig(stem);
    Map<String, NamedTensor> weights = TestFixtures.randomWeights(config, VOCAB, 17);
    TestFixtures.writeWeights(dir, weights);
    List<ImageTensor> images = ModelFixtures.images(2, 32, 3);
    int[][] tokens = ModelFixtures.tokens(3, 7, VOCAB, 5);
    int[] imageOfRow = {1, 0, 1};
    ReferenceNetwork reference = new ReferenceNetwork(config, VOCAB, weights);
    try (Pix2seqModel model = new TfBackend().load(dir, config, VOCAB, Device.CPU);
        ImageFeatures features = model.encoder().encode(images)) {
      float[][][] actual = model.decoder().logits(features, imageOfRow, tokens);
      double largest = 0;
      for (int r = 0; r < tokens.length; r++) {
        double[][] expected = reference.logits(images.get(imageOfRow[r]), tokens[r]);
        for (int t = 0; t < tokens[r].length; t++) {
          for (int c = 0; c < VOCAB; c++) {
            assertEquals(expected[t][c], actual[r][t][c], TOLERANCE,
                "row " + r + " position " + t + " token " + c);
            largest = Math.max(largest, Math.abs(expected[t][c]));
          }
        }
      }
      assertTrue(largest > 1, "logits should be far from 0 with these weights: " + largest);
    }
  }

  @Test
  void referenceGeluIsTheExactErfForm() {
    double[] x = {-3, -1, -0.5, 0, 0.5, 1, 2, 4};
    // 0.5 x (1 + erf(x / sqrt 2)) from high-precision tables of erf
    double[] expected = {-0.0040496, -0.15865525, -0.15426877, 0, 0.34573123, 0.84134475,
        1.95449974, 3.99987332};
    for (int i = 0; i < x.length; i++) {
      assertEquals(expected[i], ReferenceNetwork.gelu(x[i]), 1e-7, "gelu(" + x[i] + ")");
    }
    assertEquals(0.8427007929497149, ReferenceNetwork.erf(1), 1e-14);
    assertEquals(0.9999779095030014, ReferenceNetwork.erf(3), 1e-14);
  }

  /** {@code table} is row-major {@code expected} within {@code tolerance}. */
  private static void assertTable(double[][] expected, float[] table, double tolerance) {
    int width = expected[0].length;
    for (int n = 0; n < expected.length; n++) {
      for (int j = 0; j < width; j++) {
        assertEquals(expected[n][j], table[n * width + j], tolerance,
            "token " + n + ", value " + j);
      }
    }
  }

  @Test
  void memoryTableFollowsTheFormula() {
    float[] table = CoordinateCode.grid(3, 8);
    assertTable(ReferenceNetwork.memoryPositions(3, 8), table, 1e-7);
    // cell (0, 0) has its centre at 1/6 of the side; the first wavelength is 1/32 of the side
    assertEquals((float) Math.sin(2 * Math.PI * 32 / 6.0), table[0], 1e-7);
  }

  @Test
  void sinCosTableFollowsTheFormula() {
    float[] table = SinCosPositions.table(3, 8);
    assertTable(ReferenceNetwork.positions(3, 8), table, 0.0);
    double omega1 = Math.pow(10000, -0.5);
    assertEquals((float) Math.sin(2 * omega1), table[7 * 8 + 1], 0.0);
    assertEquals((float) Math.cos(1.0), table[7 * 8 + 6], 0.0);
  }
}
