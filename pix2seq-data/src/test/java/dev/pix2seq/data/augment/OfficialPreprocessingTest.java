package dev.pix2seq.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.ImageTensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The official Pix2seq evaluation steps ({@link OfficialResize}, {@link OfficialPad}, {@link
 * OfficialKeypointCrop}). Expected sizes, values and windows were computed with TensorFlow 2.21
 * and the official code (commit eabd4e9); the end-to-end comparison with the official pipeline's
 * output is {@code OfficialPreprocessingGoldenTest} in pix2seq-runtime.
 */
class OfficialPreprocessingTest {

  private static ImageTensor random(int w, int h, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] px = new float[3 * w * h];
    for (int i = 0; i < px.length; i++) {
      px[i] = (float) r.nextDouble();
    }
    return new ImageTensor(px, 3, h, w);
  }

  private static ImageTensor row(float... values) {
    return new ImageTensor(values.clone(), 1, 1, values.length);
  }

  /** The weights of the resize described in {@link ImageTensors#resizeAntialiased}, float64. */
  private static double[][] weights(int size, int newSize) {
    double scale = (double) newSize / size;
    double k = Math.max(1 / scale, 1);
    double[][] m = new double[newSize][size];
    for (int i = 0; i < newSize; i++) {
      double c = (i + 0.5) / scale;
      int lo = Math.max(0, (int) Math.ceil(c - k - 0.5));
      int hi = Math.min(size - 1, (int) Math.floor(c + k - 0.5));
      double sum = 0;
      for (int j = lo; j <= hi; j++) {
        m[i][j] = Math.max(0, 1 - Math.abs(j + 0.5 - c) / k);
        sum += m[i][j];
      }
      for (int j = lo; j <= hi; j++) {
        m[i][j] /= sum;
      }
    }
    return m;
  }

  @ParameterizedTest(name = "{0}x{1} -> {2}x{3}")
  @CsvSource({
    // width, height, TensorFlow's new width, new height (fitted into 64 x 64)
    "30, 50, 38, 64",
    "77, 31, 64, 26",
    "128, 33, 64, 16", // 16.5 rounds half to even
    "480, 640, 48, 64",
    "640, 427, 64, 43",
    "640, 481, 64, 48",
    "200, 100, 64, 32",
    "64, 64, 64, 64",
  })
  void theTargetSizeIsTensorFlows(int w, int h, int newW, int newH) {
    assertArrayEquals(new int[] {newW, newH}, OfficialResize.targetSize(w, h, 64));
  }

  @Test
  void aHalfPixelRoundsToEvenWhereResizeLongestSideRoundsUp() {
    AnnotatedImage sample = AnnotatedImage.of(random(128, 33, 1), List.of(), List.of());
    assertEquals(16, new OfficialResize(64).resize(sample).height());
    assertEquals(17, new ResizeLongestSide(64).resize(sample).height());
  }

  @Test
  void aSideThatRoundsToZeroBecomesOnePixel() {
    assertArrayEquals(new int[] {64, 1}, OfficialResize.targetSize(1000, 3, 64));
  }

  @Test
  void shrinkingAveragesEverySourcePixelAsTensorFlowDoes() {
    // TensorFlow: tf.image.resize([[0, 7, 14, 21]], (1, 2), 'bilinear', antialias=True)
    // = [5, 16.000002] (weights 3/7, 3/7, 1/7); plain bilinear gives 3.5 and 17.5.
    ImageTensor out = ImageTensors.resizeAntialiased(row(0, 7, 14, 21), 2, 1);
    assertEquals(5f, out.pixels()[0], 0f);
    assertEquals(16.000002f, out.pixels()[1], 0f);
    assertArrayEquals(new float[] {3.5f, 17.5f},
        ImageTensors.resize(row(0, 7, 14, 21), 2, 1).pixels(), 1e-6f);
    // [0, 7, 14, 21, 28] -> 2: TensorFlow gives exactly [7, 21].
    assertArrayEquals(new float[] {7f, 21f},
        ImageTensors.resizeAntialiased(row(0, 7, 14, 21, 28), 2, 1).pixels(), 0f);
  }

  @Test
  void resizingMatchesTheFloat64FormulaInBothDirections() {
    ImageTensor img = random(23, 17, 2);
    int[][] sizes = {{9, 40}, {64, 5}, {23, 17}, {11, 11}, {50, 34}};
    for (int[] s : sizes) {
      ImageTensor out = ImageTensors.resizeAntialiased(img, s[0], s[1]);
      double[][] wy = weights(17, s[1]);
      double[][] wx = weights(23, s[0]);
      double max = 0;
      for (int c = 0; c < 3; c++) {
        for (int v = 0; v < s[1]; v++) {
          for (int u = 0; u < s[0]; u++) {
            double sum = 0;
            for (int y = 0; y < 17; y++) {
              for (int x = 0; x < 23; x++) {
                sum += wy[v][y] * wx[u][x] * img.get(c, y, x);
              }
            }
            max = Math.max(max, Math.abs(sum - out.get(c, v, u)));
          }
        }
      }
      // float32 centres and sums against float64 ones: about 1e-6 (make_golden.py's numpy
      // transcription is 1.2e-6 from TensorFlow the same way)
      assertEquals(0, max, 3e-6, "to " + s[0] + "x" + s[1]);
    }
  }

  @Test
  void enlargingIsPlainHalfPixelBilinearAndTheSameSizeIsTheIdentity() {
    ImageTensor img = random(7, 5, 3);
    assertArrayEquals(ImageTensors.resize(img, 16, 13).pixels(),
        ImageTensors.resizeAntialiased(img, 16, 13).pixels(), 1e-6f);
    assertArrayEquals(img.pixels(), ImageTensors.resizeAntialiased(img, 7, 5).pixels(), 0f);
  }

  @Test
  void theResizeScalesCoordinatesByTheRoundedSize() {
    AnnotatedImage out = new OfficialResize(64)
        .resize(AnnotatedImage.of(random(30, 50, 4), List.of(), List.of()));
    assertEquals(38, out.width());
    assertEquals(64, out.height());
    assertEquals(38.0 / 30, out.fromSource().scaleX(), 1e-15);
    assertEquals(64.0 / 50, out.fromSource().scaleY(), 1e-15);
  }

  @Test
  void paddingIsComputedAsPointThreePlusPaddedDifference() {
    ImageTensor img = random(5, 3, 5);
    AnnotatedImage out =
        new OfficialPad(8).pad(AnnotatedImage.of(img, List.of(), List.of()));
    assertEquals(CoordinateMap.IDENTITY, out.fromSource());
    float grey = 0.3f;
    int differ = 0;
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          float expected = y < 3 && x < 5 ? (img.get(c, y, x) - grey) + grey : grey;
          assertEquals(expected, out.image().get(c, y, x), 0f);
          if (y < 3 && x < 5 && expected != img.get(c, y, x)) {
            differ++;
          }
        }
      }
    }
    assertNotEquals(0, differ, "some pixels differ from x in the last bit, as in TensorFlow");
    assertThrows(IllegalArgumentException.class,
        () -> new OfficialPad(4).pad(AnnotatedImage.of(img, List.of(), List.of())));
  }

  @Test
  void aSquareImageIsStillShiftedByThePadding() {
    ImageTensor img = random(4, 4, 6);
    AnnotatedImage out = new OfficialPad(4).pad(AnnotatedImage.of(img, List.of(), List.of()));
    assertEquals((img.get(0, 1, 2) - 0.3f) + 0.3f, out.image().get(0, 1, 2), 0f);
  }

  @ParameterizedTest(name = "{0}x{1} box {2},{3}..{4},{5}")
  @CsvSource({
    // image width, height, box x0, y0, x1, y1 (pixels); window x0, y0, width, height as the
    // official crop_to_bbox (data_utils.py, pad scale 0.5) cut it
    "200, 100, 80, 30, 120, 70, 58, 8, 84, 84",
    "200, 100, 0, 0, 32, 32, 0, 0, 49, 49",
    "640, 480, 100.7, 50.2, 300.4, 400.9, 0, 0, 401, 480",
    "30, 50, 3.3, 7.5, 29.9, 49.6, 0, 0, 30, 50",
    "31, 77, 10.5, 20.5, 10.5, 20.5, 9, 19, 4, 4",
    "500, 333, 250, 166.5, 251, 167.5, 248, 165, 5, 4",
    "567, 476, 292.2, 25.7, 458.1, 136.0, 207, 0, 336, 193",
    "280, 208, 12.7, 10.1, 114.4, 207.8, 0, 0, 166, 208",
    "463, 149, 108.6, 133.8, 201.4, 145.2, 61, 125, 188, 24",
    "594, 562, 233.1, 34.2, 292.9, 380.3, 201, 0, 124, 554",
    "397, 672, 107.8, 43.2, 349.2, 456.4, 0, 0, 397, 664",
    "611, 103, 138.9, 1.9, 547.1, 89.8, 0, 0, 611, 103",
    "501, 549, 0.6, 111.6, 252.2, 239.7, 0, 46, 379, 260",
    "240, 379, 75.9, 56.5, 193.5, 264.7, 16, 0, 224, 371",
  })
  void theKeypointWindowIsTheOfficialOne(int w, int h, double bx0, double by0, double bx1,
      double by1, int x0, int y0, int cw, int ch) {
    assertArrayEquals(new int[] {x0, y0, cw, ch}, OfficialKeypointCrop.defaults()
        .window(new BoundingBox(bx0, by0, bx1, by1), w, h));
  }

  @Test
  void theKeypointCropClipsToTheImageAndMovesCoordinates() {
    AnnotatedImage sample = AnnotatedImage.of(random(200, 100, 7), List.of(), List.of());
    AnnotatedImage out =
        OfficialKeypointCrop.defaults().crop(sample, new BoundingBox(80, 30, 120, 70));
    assertEquals(84, out.width());
    assertEquals(84, out.height());
    assertEquals(sample.image().get(1, 8, 58), out.image().get(1, 0, 0), 0f);
    assertEquals(CoordinateMap.translate(-58, -8), out.fromSource());
  }

  @Test
  void aBoxOutsideTheImageStillGivesAWindowInsideIt() {
    int[] w = OfficialKeypointCrop.defaults().window(new BoundingBox(300, 150, 320, 170), 200,
        100);
    assertEquals(199, w[0]);
    assertEquals(99, w[1]);
    assertEquals(1, w[2]);
    assertEquals(1, w[3]);
  }

  @Test
  void anUnchangedSizeReturnsTheSampleItself() {
    AnnotatedImage sample = AnnotatedImage.of(random(64, 20, 8), List.of(), List.of());
    assertSame(sample, new OfficialResize(64).resize(sample));
  }
}
