package dev.pix2seq.eval.caption;

import java.util.Objects;

/**
 * One entry of a captioning results file: {@code {"image_id": 42, "caption": "a dog"}}.
 *
 * @param imageId the image described
 * @param caption the generated text (may be empty)
 */
public record GeneratedCaption(long imageId, String caption) {

  /** @throws NullPointerException if {@code caption} is null */
  public GeneratedCaption {
    Objects.requireNonNull(caption, "caption of image " + imageId);
  }
}
