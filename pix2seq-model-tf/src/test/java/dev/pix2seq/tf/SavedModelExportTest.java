package dev.pix2seq.tf;

import static dev.pix2seq.api.testing.ModelFixtures.VOCAB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.NetworkInputs;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.testing.ModelFixtures;
import dev.pix2seq.api.value.ImageTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

class SavedModelExportTest {

  @Test
  void exportedSignaturesReproduceTheModel(@TempDir Path dir) throws Exception {
    List<ImageTensor> images = ModelFixtures.images(2, 32, 8);
    int[][] tokens = ModelFixtures.tokens(2, 5, VOCAB, 9);
    int side = 32;
    float[][][] expected;
    Path exported = dir.resolve("saved");
    try (Pix2seqModel model = new TfBackend().create(ModelFixtures.smallConfig(true), VOCAB,
            Device.CPU, 5);
        ImageFeatures features = model.encoder().encode(images)) {
      expected = model.decoder().logits(features, new int[] {0, 1}, tokens);
      SavedModelExport.export(model, exported);
      assertThrows(IllegalArgumentException.class,
          () -> SavedModelExport.export(model, exported));
    }
    assertTrue(Files.exists(exported.resolve("saved_model.pb")));
    try (SavedModelBundle bundle = SavedModelBundle.load(exported.toString(), "serve");
        TFloat32 pixels = TensorCopies.floats(NetworkInputs.pixels(images,
            ModelFixtures.smallConfig(true)), 2, 3, side, side);
        TInt32 input = TensorCopies.rows(tokens, 5);
        TInt32 rows = TensorCopies.ints(new int[] {0, 1}, 2)) {
      try (Result served = bundle.function("serving_default")
          .call(Map.of("images", pixels, "tokens", input))) {
        assertLogits(expected, (TFloat32) served.get("logits").orElseThrow());
      }
      try (Result encoded = bundle.function("encode").call(Map.<String, Tensor>of("images",
              pixels));
          Result logits = bundle.function("logits").call(Map.of("memory",
              encoded.get("memory").orElseThrow(), "image_of_row", rows, "tokens", input))) {
        assertLogits(expected, (TFloat32) logits.get("logits").orElseThrow());
      }
    }
  }

  private static void assertLogits(float[][][] expected, TFloat32 actual) {
    assertArrayEquals(new long[] {2, 5, VOCAB}, actual.shape().asArray());
    float[] flat = TensorCopies.read(actual);
    for (int r = 0; r < 2; r++) {
      for (int t = 0; t < 5; t++) {
        for (int c = 0; c < VOCAB; c++) {
          assertEquals(expected[r][t][c], flat[(r * 5 + t) * VOCAB + c], 1e-5);
        }
      }
    }
  }
}
