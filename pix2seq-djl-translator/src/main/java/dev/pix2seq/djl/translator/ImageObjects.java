package dev.pix2seq.djl.translator;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.output.DetectedObjects;

/**
 * The input of the instance-level tasks (keypoints, masks of given objects): an image and the
 * objects in it to ask about, as DJL describes detections. Each object's class name must be a
 * category name of the checkpoint's vocabulary, its box is relative to the image (0..1, as DJL
 * detectors and {@link Image#drawBoundingBoxes} use), and its probability in [0, 1] is the
 * instance's score, which the predicted scores are multiplied by (1 for a drawn box). The output
 * has one entry per object, in order.
 *
 * <pre>{@code
 * DetectedObjects people = detector.predict(image);   // or boxes of your own
 * Joints[] poses = keypointPredictor.predict(new ImageObjects(image, people));
 * }</pre>
 *
 * @param image the image
 * @param objects the objects in it
 */
public record ImageObjects(Image image, DetectedObjects objects) {

  public ImageObjects {
    if (image == null || objects == null) {
      throw new IllegalArgumentException(
          "image objects need an image and the objects in it, found image "
              + (image == null ? "missing" : "given") + ", objects "
              + (objects == null ? "missing" : "given"));
    }
  }
}
