package dev.pix2seq.tasks;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.tokenizer.Vocabulary;

/**
 * One object instance that an instance-level task (segmentation, keypoints) is asked about: its
 * box, normalised over the padded square model input, and its category. At training time both
 * come from ground truth; at inference from ground truth or a detection run.
 *
 * @param box the instance's box in normalised coordinates (values outside 0..1 are clipped when
 *     quantised)
 * @param categoryId the dataset's category id
 */
public record InstanceRequest(BoundingBox box, int categoryId) {

  public InstanceRequest {
    if (box == null) {
      throw new IllegalArgumentException("instance request needs a box");
    }
  }

  /**
   * The instance prompt {@code [task] ymin xmin ymax xmax class}.
   *
   * @throws IllegalArgumentException if the vocabulary has no such task or category
   */
  public int[] prompt(Vocabulary vocabulary, String task) {
    return new int[] {
      vocabulary.taskToken(task),
      vocabulary.coordToken(box.yMin()),
      vocabulary.coordToken(box.xMin()),
      vocabulary.coordToken(box.yMax()),
      vocabulary.coordToken(box.xMax()),
      vocabulary.classToken(categoryId)
    };
  }
}
