package dev.pix2seq.data.synth;

/**
 * Options of the {@link SyntheticSceneGenerator}.
 *
 * @param width image width in pixels
 * @param height image height in pixels
 * @param seed the dataset seed; scene {@code i} depends only on the options and {@code i}
 * @param minObjects fewest objects placed per scene, >= 0
 * @param maxObjects most objects placed per scene, >= minObjects (a placement that would hide
 *     too much of an earlier object is retried a few times, then skipped, so a scene can hold
 *     fewer)
 * @param personProbability chance that an object is a stick figure rather than a shape
 * @param minObjectScale smallest shape size (diameter or side) as a fraction of the shorter
 *     image side; a figure is about {@link #PERSON_HEIGHT_RATIO} times taller than a shape
 * @param maxObjectScale largest shape size, as above
 * @param minVisibleFraction each object keeps at least this fraction of its in-frame area
 *     visible when later objects are drawn over it
 * @param noiseAmplitude per-channel pixel noise in levels, uniform in {@code [-a, a]}
 * @param gradientBackground a softly varying background instead of a plain one
 */
public record SceneOptions(
    int width,
    int height,
    long seed,
    int minObjects,
    int maxObjects,
    double personProbability,
    double minObjectScale,
    double maxObjectScale,
    double minVisibleFraction,
    int noiseAmplitude,
    boolean gradientBackground) {

  /** Default image side. */
  public static final int DEFAULT_SIZE = 128;
  /** Figure height over shape size. */
  public static final double PERSON_HEIGHT_RATIO = 2.5;

  public SceneOptions {
    if (width < 16 || height < 16) {
      throw new IllegalArgumentException(
          "scene images must be at least 16x16, found " + width + "x" + height);
    }
    if (minObjects < 0 || maxObjects < minObjects) {
      throw new IllegalArgumentException("objects per scene need 0 <= min <= max, found "
          + minObjects + ".." + maxObjects);
    }
    if (!(personProbability >= 0 && personProbability <= 1)) {
      throw new IllegalArgumentException(
          "personProbability must be in [0, 1], found " + personProbability);
    }
    if (!(minObjectScale > 0) || !(maxObjectScale >= minObjectScale) || !(maxObjectScale <= 1)) {
      throw new IllegalArgumentException("object scales need 0 < min <= max <= 1, found "
          + minObjectScale + ".." + maxObjectScale);
    }
    if (!(minVisibleFraction >= 0 && minVisibleFraction <= 1)) {
      throw new IllegalArgumentException(
          "minVisibleFraction must be in [0, 1], found " + minVisibleFraction);
    }
    if (noiseAmplitude < 0 || noiseAmplitude > 20) {
      throw new IllegalArgumentException(
          "noiseAmplitude must be in [0, 20], found " + noiseAmplitude);
    }
  }

  /**
   * 128 x 128, seed 0, 1 to 5 objects, 30 % figures, gradient background, no noise (any noise
   * makes the PNG files about ten times larger: some 25 KB instead of 2.6 KB per image).
   */
  public static SceneOptions defaults() {
    return new SceneOptions(DEFAULT_SIZE, DEFAULT_SIZE, 0, 1, 5, 0.3, 0.15, 0.35, 0.3, 0, true);
  }

  public SceneOptions withSeed(long newSeed) {
    return new SceneOptions(width, height, newSeed, minObjects, maxObjects, personProbability,
        minObjectScale, maxObjectScale, minVisibleFraction, noiseAmplitude, gradientBackground);
  }

  public SceneOptions withSize(int newWidth, int newHeight) {
    return new SceneOptions(newWidth, newHeight, seed, minObjects, maxObjects, personProbability,
        minObjectScale, maxObjectScale, minVisibleFraction, noiseAmplitude, gradientBackground);
  }

  public SceneOptions withObjects(int min, int max) {
    return new SceneOptions(width, height, seed, min, max, personProbability, minObjectScale,
        maxObjectScale, minVisibleFraction, noiseAmplitude, gradientBackground);
  }

  public SceneOptions withPersonProbability(double p) {
    return new SceneOptions(width, height, seed, minObjects, maxObjects, p, minObjectScale,
        maxObjectScale, minVisibleFraction, noiseAmplitude, gradientBackground);
  }

  public SceneOptions withNoise(int amplitude, boolean gradient) {
    return new SceneOptions(width, height, seed, minObjects, maxObjects, personProbability,
        minObjectScale, maxObjectScale, minVisibleFraction, amplitude, gradient);
  }
}
