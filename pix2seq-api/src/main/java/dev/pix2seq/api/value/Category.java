package dev.pix2seq.api.value;

import java.util.Optional;

/**
 * A dataset category (COCO {@code categories} entry).
 *
 * @param id the dataset's category id (COCO {@code id}; any int, not necessarily dense)
 * @param name display name
 * @param supercategory COCO supercategory, or empty string
 * @param keypoints keypoint layout for keypoint categories (such as person), else null
 */
public record Category(int id, String name, String supercategory, KeypointSchema keypoints) {

  public Category {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("category " + id + " needs a non-empty name");
    }
    supercategory = supercategory == null ? "" : supercategory;
  }

  /** A category without keypoints. */
  public static Category of(int id, String name) {
    return new Category(id, name, "", null);
  }

  /** The keypoint layout, if this is a keypoint category. */
  public Optional<KeypointSchema> keypointSchema() {
    return Optional.ofNullable(keypoints);
  }
}
