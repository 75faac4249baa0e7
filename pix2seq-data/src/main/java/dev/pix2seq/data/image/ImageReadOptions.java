package dev.pix2seq.data.image;

import java.util.Locale;

/**
 * How {@link ImageFiles} reads an image file.
 *
 * <p>{@code maxPixels} is checked against the size the file's header declares, before any
 * pixel is decoded: a few hundred bytes of PNG or JPEG can declare 40000 x 40000 pixels, which
 * would take gigabytes to decode (a decompression bomb). The default, {@value
 * #DEFAULT_MAX_PIXELS} pixels (100 megapixels), is above any camera's photo.
 *
 * <p>{@code applyOrientation}: turn the pixels as the file's EXIF orientation says ({@link
 * ExifOrientation}), so that they, and every coordinate computed on them, are the ones an image
 * viewer shows (phones store portrait photos sideways with orientation 6). Off, the stored
 * pixels are returned, as the COCO tools and TensorFlow's decoders read them.
 *
 * @param maxPixels the most pixels (width x height) a file may declare, positive
 * @param applyOrientation whether to apply the EXIF orientation
 */
public record ImageReadOptions(long maxPixels, boolean applyOrientation) {

  /** The default pixel budget: 100 megapixels. */
  public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

  public ImageReadOptions {
    if (maxPixels <= 0) {
      throw new IllegalArgumentException("maxPixels must be positive, found " + maxPixels);
    }
  }

  /** As a person sees the image: 100 megapixels at most, EXIF orientation applied. */
  public static ImageReadOptions defaults() {
    return new ImageReadOptions(DEFAULT_MAX_PIXELS, true);
  }

  /** The stored pixels, 100 megapixels at most: how dataset images are read. */
  public static ImageReadOptions storedPixels() {
    return new ImageReadOptions(DEFAULT_MAX_PIXELS, false);
  }

  /** These options with another pixel budget. */
  public ImageReadOptions withMaxPixels(long pixels) {
    return new ImageReadOptions(pixels, applyOrientation);
  }

  /** These options with the EXIF orientation applied or not. */
  public ImageReadOptions withOrientation(boolean apply) {
    return new ImageReadOptions(maxPixels, apply);
  }

  /** Whether an image of {@code width x height} is within the budget. */
  public boolean allows(long width, long height) {
    return width * height <= maxPixels;
  }

  /**
   * Throws when an image of {@code width x height} is over the budget.
   *
   * @param source names the image in the message (a file, "the input image")
   * @throws IllegalArgumentException naming the source, its size and the limit
   */
  public void checkSize(String source, long width, long height) {
    if (!allows(width, height)) {
      throw new IllegalArgumentException(refusal(source, width, height));
    }
  }

  /** The message refusing an image over the budget. */
  String refusal(String source, long width, long height) {
    return source + ": the image is " + width + "x" + height + " (" + pixels(width * height)
        + "), over the limit of " + pixels(maxPixels) + "; raise the limit (--max-pixels, "
        + "ImageReadOptions.withMaxPixels) to read it";
  }

  private static String pixels(long pixels) {
    return pixels >= 1_000_000
        ? String.format(Locale.ROOT, "%.1f megapixels", pixels / 1e6)
        : pixels + " pixels";
  }
}
