package dev.pix2seq.runtime.predict;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pix2seq.api.config.ConfigIO;
import dev.pix2seq.api.value.Caption;
import dev.pix2seq.api.value.Detection;
import dev.pix2seq.api.value.RleMask;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Predictions as COCO results files, the JSON arrays that pycocotools' {@code COCO.loadRes}
 * and the caption toolkit read (and {@code pix2seq coco-eval} / {@code caption-eval}):
 *
 * <pre>
 *   bbox:      {"image_id": 42, "category_id": 3, "bbox": [x, y, w, h], "score": 0.9}
 *   segm:      {"image_id": 42, "category_id": 3,
 *               "segmentation": {"size": [h, w], "counts": "..."}, "score": 0.9}
 *   keypoints: {"image_id": 42, "category_id": 1, "keypoints": [x1, y1, v1, ...], "score": 0.8}
 *   captions:  {"image_id": 42, "caption": "a dog on a red car"}
 * </pre>
 *
 * <p>Masks are written as compressed RLE, the counts string pycocotools' {@code maskUtils.encode}
 * writes. Files are written atomically. Stateless and thread-safe.
 *
 * <pre>{@code
 * CocoResultsWriter.write(dir.resolve("bbox_results.json"), CocoResultsWriter.boxes(predictions));
 * }</pre>
 */
public final class CocoResultsWriter {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private CocoResultsWriter() {}

  /** One detection of a {@code bbox} results file. */
  @JsonPropertyOrder({"image_id", "category_id", "bbox", "score"})
  public record BoxResult(
      @JsonProperty("image_id") long imageId,
      @JsonProperty("category_id") int categoryId,
      @JsonProperty("bbox") double[] bbox,
      @JsonProperty("score") double score) {}

  /** A compressed RLE as COCO writes it. */
  @JsonPropertyOrder({"size", "counts"})
  public record CompressedRle(
      @JsonProperty("size") int[] size, @JsonProperty("counts") String counts) {

    /** The COCO form of a mask. */
    public static CompressedRle of(RleMask mask) {
      return new CompressedRle(new int[] {mask.height(), mask.width()}, mask.toCompressed());
    }
  }

  /** One mask of a {@code segm} results file. */
  @JsonPropertyOrder({"image_id", "category_id", "segmentation", "score"})
  public record MaskResult(
      @JsonProperty("image_id") long imageId,
      @JsonProperty("category_id") int categoryId,
      @JsonProperty("segmentation") CompressedRle segmentation,
      @JsonProperty("score") double score) {}

  /** One instance of a {@code keypoints} results file. */
  @JsonPropertyOrder({"image_id", "category_id", "keypoints", "score"})
  public record KeypointResult(
      @JsonProperty("image_id") long imageId,
      @JsonProperty("category_id") int categoryId,
      @JsonProperty("keypoints") double[] keypoints,
      @JsonProperty("score") double score) {}

  /** One caption of a captions results file. */
  @JsonPropertyOrder({"image_id", "caption"})
  public record CaptionResult(
      @JsonProperty("image_id") long imageId, @JsonProperty("caption") String caption) {}

  /** Every detection, image by image. */
  public static List<BoxResult> boxes(List<ImagePredictions> predictions) {
    List<BoxResult> out = new ArrayList<>();
    for (ImagePredictions p : predictions) {
      for (Detection d : p.detections()) {
        out.add(new BoxResult(p.imageId(), d.categoryId(), d.box().toXywh(), d.score()));
      }
    }
    return out;
  }

  /** Every mask, image by image. */
  public static List<MaskResult> masks(List<ImagePredictions> predictions) {
    List<MaskResult> out = new ArrayList<>();
    for (ImagePredictions p : predictions) {
      for (MaskPrediction m : p.masks()) {
        out.add(new MaskResult(p.imageId(), m.instance().categoryId(),
            CompressedRle.of(m.mask()), m.score()));
      }
    }
    return out;
  }

  /** Every keypoint instance, image by image. */
  public static List<KeypointResult> keypoints(List<ImagePredictions> predictions) {
    List<KeypointResult> out = new ArrayList<>();
    for (ImagePredictions p : predictions) {
      for (KeypointPrediction k : p.keypoints()) {
        out.add(new KeypointResult(p.imageId(), k.instance().categoryId(),
            k.keypoints().toCocoArray(), k.keypoints().score()));
      }
    }
    return out;
  }

  /** Every caption, image by image (the first caption is what captioning metrics read). */
  public static List<CaptionResult> captions(List<ImagePredictions> predictions) {
    List<CaptionResult> out = new ArrayList<>();
    for (ImagePredictions p : predictions) {
      for (Caption c : p.captions()) {
        out.add(new CaptionResult(p.imageId(), c.text()));
      }
    }
    return out;
  }

  /** The results as a JSON array. */
  public static byte[] toJson(List<?> results) throws IOException {
    return MAPPER.writeValueAsBytes(results);
  }

  /**
   * Writes results as a JSON array, atomically (temp file in the same folder, then rename),
   * creating missing parent folders.
   */
  public static void write(Path file, List<?> results) throws IOException {
    ConfigIO.writeAtomically(file, toJson(results));
  }
}
