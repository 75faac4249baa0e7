package dev.pix2seq.runtime.predict;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.data.augment.OfficialKeypointCrop;
import dev.pix2seq.data.augment.OfficialResize;

/**
 * The geometry of one official model input, computed in float32 in the official order of
 * operations (docs/official-task-conventions.md sections 0.3 and 3.1): which region of the image
 * the input shows (the whole image, or the keypoint crop), the region's size after the official
 * resize, and how coordinates normalised over the padded input map to image pixels and back.
 * The region and sizes are the ones {@link ModelInputPreparer} builds the input with.
 *
 * @param side the side of the square model input
 * @param imageWidth width of the whole image
 * @param imageHeight height of the whole image
 * @param regionX first column of the region (the official {@code crop_offset})
 * @param regionY first row of the region
 * @param regionWidth width of the region (the official {@code orig_image_size})
 * @param regionHeight height of the region
 * @param resizedWidth the region's width after the resize (the official {@code
 *     unpadded_image_size})
 * @param resizedHeight the region's height after the resize
 */
record OfficialFrame(int side, int imageWidth, int imageHeight, int regionX, int regionY,
    int regionWidth, int regionHeight, int resizedWidth, int resizedHeight) {

  /** The frame of the whole image, as detection, segmentation and captioning see it. */
  static OfficialFrame whole(int imageWidth, int imageHeight, int side) {
    return of(side, imageWidth, imageHeight, 0, 0, imageWidth, imageHeight);
  }

  /** The frame of the official keypoint crop around {@code box} (image pixels). */
  static OfficialFrame keypointCrop(BoundingBox box, int imageWidth, int imageHeight, int side) {
    int[] w = OfficialKeypointCrop.defaults().window(box, imageWidth, imageHeight);
    return of(side, imageWidth, imageHeight, w[0], w[1], w[2], w[3]);
  }

  private static OfficialFrame of(int side, int imageWidth, int imageHeight, int regionX,
      int regionY, int regionWidth, int regionHeight) {
    int[] resized = OfficialResize.targetSize(regionWidth, regionHeight, side);
    return new OfficialFrame(side, imageWidth, imageHeight, regionX, regionY, regionWidth,
        regionHeight, resized[0], resized[1]);
  }

  /**
   * A box in image pixels as the official prompt sees it: {@code {yMin, xMin, yMax, xMax}}
   * normalised over the padded input. The box is normalised by the image size, re-expressed in
   * the region and clipped to it when the region is a crop (the official {@code crop}), then
   * scaled by the resized share of the input (the official {@code pad_image_to_max_size}); a
   * whole-image box is not clipped.
   */
  float[] promptBox(BoundingBox box) {
    float[] yx = {
      normalised(box.yMin(), imageHeight), normalised(box.xMin(), imageWidth),
      normalised(box.yMax(), imageHeight), normalised(box.xMax(), imageWidth)
    };
    if (isCrop()) {
      float scaleY = (float) imageHeight / (float) regionHeight;
      float scaleX = (float) imageWidth / (float) regionWidth;
      float offsetY = (float) regionY / (float) imageHeight;
      float offsetX = (float) regionX / (float) imageWidth;
      for (int i = 0; i < 4; i += 2) {
        yx[i] = clip01((yx[i] - offsetY) * scaleY);
        yx[i + 1] = clip01((yx[i + 1] - offsetX) * scaleX);
      }
    }
    float padY = (float) resizedHeight / (float) side;
    float padX = (float) resizedWidth / (float) side;
    for (int i = 0; i < 4; i += 2) {
      yx[i] *= padY;
      yx[i + 1] *= padX;
    }
    return yx;
  }

  /** Whether the region is a crop rather than the whole image. */
  boolean isCrop() {
    return regionX != 0 || regionY != 0 || regionWidth != imageWidth
        || regionHeight != imageHeight;
  }

  /**
   * A normalised y of the input in region pixels: {@code y * (side / resizedHeight *
   * regionHeight)}, the official eval scale.
   */
  float scaleY(float y) {
    return y * ((float) side / (float) resizedHeight * (float) regionHeight);
  }

  /** A normalised x of the input in region pixels, as {@link #scaleY}. */
  float scaleX(float x) {
    return x * ((float) side / (float) resizedWidth * (float) regionWidth);
  }

  /** A normalised y of the input in image pixels: {@link #scaleY} plus the region's offset. */
  float imageY(float y) {
    return scaleY(y) + (float) regionY;
  }

  /** A normalised x of the input in image pixels, as {@link #imageY}. */
  float imageX(float x) {
    return scaleX(x) + (float) regionX;
  }

  /** {@code px / size} as the official pipeline normalises pixels: times the float reciprocal. */
  private static float normalised(double px, int size) {
    return (float) px * (1f / (float) size);
  }

  private static float clip01(float v) {
    return Math.max(0f, Math.min(1f, v));
  }
}
