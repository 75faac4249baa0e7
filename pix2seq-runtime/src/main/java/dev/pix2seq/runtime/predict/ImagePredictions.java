package dev.pix2seq.runtime.predict;

import dev.pix2seq.api.value.Caption;
import dev.pix2seq.api.value.Detection;
import java.util.List;

/**
 * Everything predicted for one image, in its pixels: what {@link CocoResultsWriter} and {@link
 * PredictionPainter} read. Lists are copied; a task that was not run leaves its list empty.
 *
 * @param imageId the dataset's image id (COCO {@code image_id})
 * @param detections detected objects
 * @param masks instance masks
 * @param keypoints instance keypoints
 * @param captions captions
 */
public record ImagePredictions(
    long imageId,
    List<Detection> detections,
    List<MaskPrediction> masks,
    List<KeypointPrediction> keypoints,
    List<Caption> captions) {

  public ImagePredictions {
    detections = List.copyOf(detections);
    masks = List.copyOf(masks);
    keypoints = List.copyOf(keypoints);
    captions = List.copyOf(captions);
  }

  /** An image with no predictions yet. */
  public static ImagePredictions empty(long imageId) {
    return new ImagePredictions(imageId, List.of(), List.of(), List.of(), List.of());
  }
}
