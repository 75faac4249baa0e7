package dev.pix2seq.data.coco;

/**
 * The {@code info} block of a COCO file. Written as given; never holds a timestamp, so that
 * the same dataset always gives the same bytes.
 *
 * @param description what the dataset is
 * @param version the dataset's version string
 */
public record CocoInfo(String description, String version) {

  public CocoInfo {
    if (description == null || version == null) {
      throw new IllegalArgumentException(
          "info needs a description and a version (empty strings allowed), found "
              + description + ", " + version);
    }
  }
}
