package dev.pix2seq.demo;

import dev.pix2seq.api.DatasetException;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.data.coco.CocoAnnotation;
import dev.pix2seq.data.coco.CocoCaption;
import dev.pix2seq.data.coco.CocoDataset;
import dev.pix2seq.data.coco.CocoImage;
import dev.pix2seq.data.image.ImageFiles;
import dev.pix2seq.data.render.AnnotationPainter;
import dev.pix2seq.data.render.OverlayItem;
import dev.pix2seq.demo.eval.BoxSource;
import dev.pix2seq.demo.eval.EvaluationDataset;
import dev.pix2seq.demo.eval.ModelEvaluation;
import dev.pix2seq.runtime.predict.ImagePredictions;
import dev.pix2seq.runtime.predict.PredictionPainter;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws evaluated images with their predictions, one picture per task, next to the ground
 * truth: {@code image-<id>-truth.png}, {@code -detect.png} (boxes), {@code -segment.png} and
 * {@code -keypoint.png} (prompted by the ground-truth boxes, so each shows its task alone),
 * {@code -describe.png} (the caption) and, when the model detects, {@code -all.png} (the whole
 * pipeline: detections, then masks and keypoints of the detected objects, and the caption).
 * Stateless.
 */
public final class DemoPictures {
  /** The kinds of picture, in the order they are drawn. */
  public static final List<String> KINDS =
      List.of("truth", "detect", "segment", "keypoint", "describe", "all");

  private DemoPictures() {}

  /**
   * The pictures of one image.
   *
   * @param imageId the image
   * @param files picture file by kind ({@link #KINDS}), in that order
   */
  public record PictureSet(long imageId, Map<String, Path> files) {
    public PictureSet {
      files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }
  }

  /**
   * Draws the first {@code count} evaluated images into {@code dir}.
   *
   * @throws DatasetException if an image file cannot be read
   * @throws IOException if a picture cannot be written
   */
  public static List<PictureSet> write(Path dir, EvaluationDataset data,
      ModelEvaluation evaluation, int count) throws DatasetException, IOException {
    List<Category> categories = data.dataset().categories();
    PredictionPainter painter = new PredictionPainter(categories);
    List<ImagePredictions> byTruth = evaluation.predictions(BoxSource.GROUND_TRUTH);
    List<ImagePredictions> byDetections = evaluation.predictions(BoxSource.DETECTIONS);
    List<String> tasks = evaluation.tasks();
    List<PictureSet> out = new ArrayList<>();
    for (int i = 0; i < Math.min(count, byTruth.size()); i++) {
      ImagePredictions p = byTruth.get(i);
      CocoImage image = data.dataset().image(p.imageId());
      BufferedImage pixels = data.readImage(image);
      Map<String, Path> files = new LinkedHashMap<>();
      String stem = "image-" + p.imageId() + "-";
      Path truth = dir.resolve(stem + "truth.png");
      ImageFiles.writePng(groundTruth(categories, data, image, pixels,
          painter.scaleFor(pixels.getWidth(), pixels.getHeight())), truth);
      files.put("truth", truth);
      if (tasks.contains("detect")) {
        files.put("detect", paint(painter, pixels, dir.resolve(stem + "detect.png"),
            new ImagePredictions(p.imageId(), p.detections(), List.of(), List.of(), List.of())));
      }
      if (tasks.contains("segment")) {
        files.put("segment", paint(painter, pixels, dir.resolve(stem + "segment.png"),
            new ImagePredictions(p.imageId(), List.of(), p.masks(), List.of(), List.of())));
      }
      if (tasks.contains("keypoint")) {
        files.put("keypoint", paint(painter, pixels, dir.resolve(stem + "keypoint.png"),
            new ImagePredictions(p.imageId(), List.of(), List.of(), p.keypoints(), List.of())));
      }
      if (tasks.contains("describe")) {
        files.put("describe", paint(painter, pixels, dir.resolve(stem + "describe.png"),
            new ImagePredictions(p.imageId(), List.of(), List.of(), List.of(), p.captions())));
      }
      if (tasks.contains("detect")) {
        ImagePredictions whole = byDetections.isEmpty() ? p : byDetections.get(i);
        files.put("all", paint(painter, pixels, dir.resolve(stem + "all.png"), whole));
      }
      out.add(new PictureSet(p.imageId(), files));
    }
    return out;
  }

  private static Path paint(PredictionPainter painter, BufferedImage pixels, Path file,
      ImagePredictions predictions) throws IOException {
    painter.writePng(pixels, predictions, file);
    return file;
  }

  private static BufferedImage groundTruth(List<Category> categories, EvaluationDataset data,
      CocoImage image, BufferedImage pixels, int scale) {
    CocoDataset dataset = data.dataset();
    List<OverlayItem> items = new ArrayList<>();
    for (CocoAnnotation a : dataset.annotationsOf(image.id())) {
      items.add(OverlayItem.groundTruth(a.bbox(), a.categoryId(), a.segmentation(),
          a.keypoints()));
    }
    List<String> captions = new ArrayList<>();
    data.captions().ifPresent(c -> {
      List<CocoCaption> refs = c.captionsOf(image.id());
      if (!refs.isEmpty()) {
        captions.add(refs.get(0).caption());
      }
    });
    return new AnnotationPainter(categories, scale).paint(pixels, items, captions);
  }
}
