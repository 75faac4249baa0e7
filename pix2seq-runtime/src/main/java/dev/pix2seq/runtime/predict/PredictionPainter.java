package dev.pix2seq.runtime.predict;

import dev.pix2seq.api.value.Caption;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.Detection;
import dev.pix2seq.data.image.ImageFiles;
import dev.pix2seq.data.render.AnnotationPainter;
import dev.pix2seq.data.render.OverlayItem;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws the predictions of one image: boxes with class name and score, masks filled
 * translucent, keypoints with their category's skeleton, captions below the picture. Small
 * images are enlarged by a whole factor so that the longer side reaches {@code minLongSide}.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * new PredictionPainter(vocabulary.categories(), 512).writePng(image, predictions, file);
 * }</pre>
 */
public final class PredictionPainter {

  /** The default smallest longer side of a picture. */
  public static final int DEFAULT_MIN_LONG_SIDE = 512;

  private static final int MAX_SCALE = 16;

  private final List<Category> categories;
  private final int minLongSide;

  /**
   * @param categories the dataset's categories (names, keypoint schemas, colours)
   * @param minLongSide the picture is enlarged until its longer side reaches this (1: never)
   */
  public PredictionPainter(List<Category> categories, int minLongSide) {
    if (categories == null) {
      throw new IllegalArgumentException("a painter needs the categories");
    }
    if (minLongSide < 1) {
      throw new IllegalArgumentException("minLongSide must be >= 1, found " + minLongSide);
    }
    this.categories = List.copyOf(categories);
    this.minLongSide = minLongSide;
  }

  /** A painter enlarging pictures to {@link #DEFAULT_MIN_LONG_SIDE}. */
  public PredictionPainter(List<Category> categories) {
    this(categories, DEFAULT_MIN_LONG_SIDE);
  }

  /** The whole-number enlargement used for an image of this size, 1..16. */
  public int scaleFor(int width, int height) {
    int longSide = Math.max(1, Math.max(width, height));
    int scale = (minLongSide + longSide - 1) / longSide;
    return Math.max(1, Math.min(MAX_SCALE, scale));
  }

  /** An enlarged copy of {@code image} with the predictions drawn on it. */
  public BufferedImage paint(BufferedImage image, ImagePredictions predictions) {
    List<OverlayItem> items = new ArrayList<>();
    for (MaskPrediction m : predictions.masks()) {
      items.add(new OverlayItem(null, m.instance().categoryId(), m.score(), m.mask(), null));
    }
    for (KeypointPrediction k : predictions.keypoints()) {
      items.add(new OverlayItem(
          null, k.instance().categoryId(), k.keypoints().score(), null, k.keypoints()));
    }
    for (Detection d : predictions.detections()) {
      items.add(new OverlayItem(d.box(), d.categoryId(), d.score(), null, null));
    }
    List<String> captions = new ArrayList<>();
    for (Caption c : predictions.captions()) {
      captions.add(String.format(Locale.ROOT, "%s (%.2f)", c.text(), c.score()));
    }
    AnnotationPainter painter =
        new AnnotationPainter(categories, scaleFor(image.getWidth(), image.getHeight()));
    return painter.paint(image, items, captions);
  }

  /** Paints and writes a PNG atomically, creating missing parent folders. */
  public void writePng(BufferedImage image, ImagePredictions predictions, Path file)
      throws IOException {
    ImageFiles.writePng(paint(image, predictions), file);
  }
}
