package dev.pix2seq.api.value;

/**
 * A caption of an image.
 *
 * @param text the text
 * @param score confidence (mean token probability for generated captions; 1 for references)
 */
public record Caption(String text, double score) {

  public Caption {
    if (text == null) {
      throw new IllegalArgumentException("caption text must not be null");
    }
  }
}
