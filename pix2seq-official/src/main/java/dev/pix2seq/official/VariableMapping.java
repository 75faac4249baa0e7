package dev.pix2seq.official;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One of our parameters and the official checkpoint variables it is made of.
 *
 * @param parameter our parameter name ({@code docs/checkpoint-format.md} section 3)
 * @param shape our parameter's shape
 * @param keys the official variables' keys (without {@link ReleasedLayout#VALUE_SUFFIX}), in the
 *     order the conversion reads them
 * @param keyShapes the official variables' shapes, one per key
 * @param conversion how the values are re-ordered
 */
public record VariableMapping(
    String parameter, int[] shape, List<String> keys, List<int[]> keyShapes,
    VariableConversion conversion) {

  public VariableMapping {
    shape = shape.clone();
    keys = List.copyOf(keys);
    List<int[]> copies = new ArrayList<>();
    for (int[] s : keyShapes) {
      copies.add(s.clone());
    }
    keyShapes = List.copyOf(copies);
    if (keys.size() != keyShapes.size() || keys.isEmpty()) {
      throw new IllegalArgumentException(
          parameter + ": " + keys.size() + " keys and " + keyShapes.size() + " shapes");
    }
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  /** The official shape of the {@code i}-th key. */
  public int[] keyShape(int i) {
    return keyShapes.get(i).clone();
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(parameter).append(' ').append(Arrays.toString(shape))
        .append(" <- ").append(conversion).append('(');
    for (int i = 0; i < keys.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(keys.get(i)).append(' ')
          .append(Arrays.toString(keyShapes.get(i)));
    }
    return b.append(')').toString();
  }
}
