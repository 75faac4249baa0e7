package dev.pix2seq.data.coco;

/**
 * A COCO captions entry.
 *
 * @param id caption id
 * @param imageId the image it describes
 * @param caption the text
 */
public record CocoCaption(long id, long imageId, String caption) {

  public CocoCaption {
    if (caption == null) {
      throw new IllegalArgumentException("caption " + id + " needs a caption text");
    }
  }
}
