package dev.pix2seq.data.coco;

/**
 * A COCO {@code images} entry.
 *
 * @param id image id
 * @param fileName path relative to the dataset's image folder
 * @param width width in pixels
 * @param height height in pixels
 */
public record CocoImage(long id, String fileName, int width, int height) {

  public CocoImage {
    if (fileName == null || fileName.isBlank()) {
      throw new IllegalArgumentException("image " + id + " needs a file_name");
    }
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "image " + id + " needs positive width and height, found " + width + "x" + height);
    }
  }
}
