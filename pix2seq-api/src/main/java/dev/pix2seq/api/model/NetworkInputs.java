package dev.pix2seq.api.model;

import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.value.ImageTensor;
import java.util.List;

/** Checks and packing of a network's inputs, the same for every backend. */
public final class NetworkInputs {

  private NetworkInputs() {}

  /**
   * Checks that every row of {@code tokens} has the same length, at least one, that the ids are
   * in {@code [0, vocabSize)} and that {@code cached} plus the length fits {@code config}'s
   * maximum sequence length.
   *
   * @return the common row length (0 when there are no rows)
   * @throws IllegalArgumentException naming the row and position that break a rule
   */
  public static int tokenRowLength(
      int[][] tokens, int cached, int vocabSize, ModelConfig config) {
    if (tokens.length == 0) {
      return 0;
    }
    int length = tokens[0].length;
    if (length < 1) {
      throw new IllegalArgumentException("token rows must hold at least one token");
    }
    for (int r = 0; r < tokens.length; r++) {
      if (tokens[r].length != length) {
        throw new IllegalArgumentException(
            "token row " + r + " has " + tokens[r].length + " tokens, row 0 has " + length);
      }
      for (int t = 0; t < length; t++) {
        int id = tokens[r][t];
        if (id < 0 || id >= vocabSize) {
          throw new IllegalArgumentException(
              "token row " + r + " position " + t + " holds id " + id + ", outside [0, "
                  + vocabSize + ")");
        }
      }
    }
    if (cached + length > config.maxSequenceLength()) {
      throw new IllegalArgumentException(
          (cached > 0 ? cached + " cached tokens plus " : "") + length
              + " tokens exceed maxSequenceLength " + config.maxSequenceLength());
    }
    return length;
  }

  /**
   * The images as one row-major {@code [B, 3, S, S]} array.
   *
   * @throws IllegalArgumentException if an image is not 3 x imageSize x imageSize
   */
  public static float[] pixels(List<ImageTensor> images, ModelConfig config) {
    int side = config.imageSize();
    int perImage = 3 * side * side;
    float[] pixels = new float[images.size() * perImage];
    for (int i = 0; i < images.size(); i++) {
      ImageTensor image = images.get(i);
      if (image.channels() != 3 || image.height() != side || image.width() != side) {
        throw new IllegalArgumentException(
            "image " + i + " must be 3x" + side + "x" + side + " (channels x height x width), "
                + "found " + image.channels() + "x" + image.height() + "x" + image.width());
      }
      System.arraycopy(image.pixels(), 0, pixels, i * perImage, perImage);
    }
    return pixels;
  }
}
