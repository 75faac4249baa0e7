package dev.pix2seq.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.checkpoint.NamedTensor;
import dev.pix2seq.api.network.ParameterLayout;
import dev.pix2seq.api.vocab.VocabLayout;
import dev.pix2seq.tokenizer.Vocabulary;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoordinateEmbeddingInitTest {

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  @Test
  void nearbyBinsAreMoreAlikeThanDistantOnesAndRowsHaveARandomRowsNorm() {
    float[][] code = CoordinateEmbeddingInit.code(128, 160);
    for (float[] row : code) {
      double norm = Math.sqrt(dot(row));
      assertEquals(0.02 * Math.sqrt(160), norm, 1e-4);
    }
    for (int b = 0; b + 16 < 128; b += 7) {
      double near = cosine(code[b], code[b + 1]);
      double mid = cosine(code[b], code[b + 4]);
      double far = cosine(code[b], code[b + 16]);
      assertTrue(near > mid && mid > far, "bin " + b + ": " + near + ", " + mid + ", " + far);
    }
    // every bin is told apart from its neighbour
    for (int b = 0; b + 1 < 128; b++) {
      assertTrue(cosine(code[b], code[b + 1]) < 0.999, "bins " + b + " and " + (b + 1));
    }
  }

  private static double dot(float[] a) {
    double s = 0;
    for (float v : a) {
      s += v * v;
    }
    return s;
  }

  @Test
  void onlyTheCoordinateRowsOfTheTokenEmbeddingChange() {
    VocabLayout layout = Vocabulary.defaultLayout().packed(4, 8);
    int vocab = layout.textBase() + 3;
    int width = 6;
    float[] random = new float[vocab * width];
    Arrays.fill(random, 0.5f);
    NamedTensor embedding =
        new NamedTensor(ParameterLayout.TOKEN_EMBEDDING, new int[] {vocab, width}, random);
    NamedTensor other = new NamedTensor("decoder.output_bias", new int[] {vocab}, new float[vocab]);
    List<NamedTensor> out = CoordinateEmbeddingInit.apply(List.of(embedding, other), layout);
    assertSame(other, out.get(1));
    float[] data = out.get(0).data();
    float[][] code = CoordinateEmbeddingInit.code(8, width);
    for (int row = 0; row < vocab; row++) {
      float[] actual = Arrays.copyOfRange(data, row * width, (row + 1) * width);
      if (layout.isCoord(row)) {
        assertArrayEquals(code[row - layout.coordBase()], actual);
      } else {
        float[] half = new float[width];
        Arrays.fill(half, 0.5f);
        assertArrayEquals(half, actual, "row " + row);
      }
    }
    assertEquals(0.5f, random[layout.coordBase() * width], "the input is not modified");
  }

  @Test
  void weightsWithoutATokenEmbeddingAreLeftAlone() {
    List<NamedTensor> weights = List.of(new NamedTensor("other", new int[] {2}, new float[2]));
    assertSame(weights,
        CoordinateEmbeddingInit.apply(weights, Vocabulary.defaultLayout().packed(4, 8)));
  }

  @Test
  void aCoordinateRangeOutsideTheEmbeddingIsRejected() {
    VocabLayout layout = Vocabulary.defaultLayout().packed(4, 8);
    NamedTensor small = new NamedTensor(
        ParameterLayout.TOKEN_EMBEDDING, new int[] {layout.coordBase() + 2, 4},
        new float[(layout.coordBase() + 2) * 4]);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CoordinateEmbeddingInit.apply(List.of(small), layout));
    assertTrue(e.getMessage().contains("do not fit"), e.getMessage());
  }
}
