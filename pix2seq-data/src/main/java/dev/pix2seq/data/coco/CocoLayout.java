package dev.pix2seq.data.coco;

import java.nio.file.Path;

/**
 * Where the files of a dataset folder live: {@code root/images/} for the pictures,
 * {@code root/annotations/instances.json} for the instances and
 * {@code root/annotations/captions.json} for the (optional) captions.
 *
 * @param root the dataset folder
 */
public record CocoLayout(Path root) {

  /** Folder of the image files, relative to which COCO {@code file_name}s resolve. */
  public static final String IMAGES = "images";

  /** Folder of the annotation files. */
  public static final String ANNOTATIONS = "annotations";

  /** File name of the instances JSON. */
  public static final String INSTANCES_FILE = "instances.json";

  /** File name of the captions JSON. */
  public static final String CAPTIONS_FILE = "captions.json";

  public CocoLayout {
    if (root == null) {
      throw new IllegalArgumentException("dataset root must not be null");
    }
  }

  public Path imageDir() {
    return root.resolve(IMAGES);
  }

  public Path instancesFile() {
    return root.resolve(ANNOTATIONS).resolve(INSTANCES_FILE);
  }

  public Path captionsFile() {
    return root.resolve(ANNOTATIONS).resolve(CAPTIONS_FILE);
  }
}
