package dev.pix2seq.tf;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Copies between Java arrays and TensorFlow tensors. Every tensor returned is new and owned by
 * the caller, who closes it.
 */
final class TensorCopies {

  private TensorCopies() {}

  /** A float tensor of {@code shape} holding a copy of {@code values} (row-major). */
  static TFloat32 floats(float[] values, long... shape) {
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
  }

  /** An int tensor of {@code shape} holding a copy of {@code values} (row-major). */
  static TInt32 ints(int[] values, long... shape) {
    return TInt32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
  }

  /** {@code [rows][length]} ids as an int tensor {@code [rows, length]}. */
  static TInt32 rows(int[][] rows, int length) {
    int[] flat = new int[rows.length * length];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, flat, r * length, length);
    }
    return ints(flat, rows.length, length);
  }

  /** An empty float tensor of {@code shape} (one dimension is 0). */
  static TFloat32 empty(long... shape) {
    return TFloat32.tensorOf(Shape.of(shape));
  }

  /** A copy of every value of {@code tensor}, row-major. */
  static float[] read(TFloat32 tensor) {
    float[] out = new float[Math.toIntExact(tensor.size())];
    tensor.asRawTensor().data().asFloats().read(out);
    return out;
  }

  /** {@code tensor} {@code [rows, width]} as one array per row. */
  static float[][] readRows(TFloat32 tensor, int rows, int width) {
    float[] flat = read(tensor);
    if (flat.length != (long) rows * width) {
      throw new IllegalStateException(
          "expected " + rows + " x " + width + " values, the graph returned " + flat.length);
    }
    float[][] out = new float[rows][];
    for (int r = 0; r < rows; r++) {
      out[r] = java.util.Arrays.copyOfRange(flat, r * width, (r + 1) * width);
    }
    return out;
  }
}
