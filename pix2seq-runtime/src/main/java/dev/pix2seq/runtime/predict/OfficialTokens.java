package dev.pix2seq.runtime.predict;

import dev.pix2seq.api.vocab.VocabLayout;

/**
 * The official Pix2seq rules between coordinates and tokens, in float32 as the official code
 * computes them (docs/official-task-conventions.md sections 0.2 and 2.4): quantisation rounds
 * half to even and clips after rounding; dequantisation does not clip; in point lists the
 * reserved tokens stand for the values {@link #PADDING} (padding, the end of a polygon list),
 * {@link #SEPARATOR} (between polygons) and {@link #INVISIBLE} (an unlabeled keypoint).
 */
final class OfficialTokens {

  /** The point value of the padding token. */
  static final float PADDING = -1f;

  /** The point value of the separator token. */
  static final float SEPARATOR = -2f;

  /** The point value of the invisible-keypoint token. */
  static final float INVISIBLE = -3f;

  /** The length of an instance prompt ({@link #instancePrompt}). */
  static final int INSTANCE_PROMPT_LENGTH = 6;

  private OfficialTokens() {}

  /** The coordinate token of a normalised value: {@code coordBase + clip(rint(v x (bins - 1)))}. */
  static int quantize(float v, VocabLayout layout) {
    int bins = layout.coordBins();
    float q = (float) Math.rint(v * (float) (bins - 1));
    int bin = (int) Math.max(0f, Math.min(bins - 1, q));
    return layout.coordBase() + bin;
  }

  /** {@code (token - coordBase) / (bins - 1)}, for any token, not clipped. */
  static float dequantize(int token, VocabLayout layout) {
    return (float) (token - layout.coordBase()) / (float) (layout.coordBins() - 1);
  }

  /** {@link #dequantize} clipped to [0, 1], as box coordinates are decoded. */
  static float boxCoordinate(int token, VocabLayout layout) {
    return Math.max(0f, Math.min(1f, dequantize(token, layout)));
  }

  /** The value of a token of a point list: a reserved value, or {@link #dequantize}. */
  static float pointValue(int token, VocabLayout layout) {
    if (token == layout.pad()) {
      return PADDING;
    }
    if (token == layout.sep()) {
      return SEPARATOR;
    }
    if (token == layout.invisible()) {
      return INVISIBLE;
    }
    return dequantize(token, layout);
  }

  /** Whether a point value is one of the reserved values, which scaling leaves as they are. */
  static boolean isReserved(float value) {
    return value == PADDING || value == SEPARATOR || value == INVISIBLE;
  }

  /**
   * The official instance prompt {@code [task, q(yMin), q(xMin), q(yMax), q(xMax), classToken]}
   * of a box {@code {yMin, xMin, yMax, xMax}} normalised over the padded input.
   */
  static int[] instancePrompt(int task, float[] box, int classToken, VocabLayout layout) {
    return new int[] {
      task,
      quantize(box[0], layout), quantize(box[1], layout),
      quantize(box[2], layout), quantize(box[3], layout),
      classToken
    };
  }
}
