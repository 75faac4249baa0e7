package dev.pix2seq.data.synth;

import java.util.List;
import java.util.Locale;

/**
 * The colours of the synthetic scenes. Shapes take one of {@link #SHAPE_COLORS}; stick figures
 * are always {@link #BLACK}. The background is a light, low-saturation grey far from all of them.
 */
public enum SceneColor {
  RED(215, 45, 45),
  GREEN(45, 165, 70),
  BLUE(45, 85, 215),
  YELLOW(235, 205, 45),
  PURPLE(140, 70, 190),
  ORANGE(240, 135, 35),
  /** The colour of stick figures; not used for shapes and not named in captions. */
  BLACK(35, 35, 35);

  /** The colours shapes are drawn in. */
  public static final List<SceneColor> SHAPE_COLORS =
      List.of(RED, GREEN, BLUE, YELLOW, PURPLE, ORANGE);

  private final int red;
  private final int green;
  private final int blue;

  SceneColor(int red, int green, int blue) {
    this.red = red;
    this.green = green;
    this.blue = blue;
  }

  public int red() {
    return red;
  }

  public int green() {
    return green;
  }

  public int blue() {
    return blue;
  }

  /** Packed {@code 0xRRGGBB}. */
  public int rgb() {
    return (red << 16) | (green << 8) | blue;
  }

  /** The word captions use, lower case. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
