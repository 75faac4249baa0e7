package dev.pix2seq.runtime.train;

import dev.pix2seq.api.DatasetException;
import dev.pix2seq.api.value.PolygonMask;
import dev.pix2seq.data.augment.AnnotatedImage;
import dev.pix2seq.data.coco.CocoAnnotation;
import dev.pix2seq.data.coco.CocoCaption;
import dev.pix2seq.data.coco.CocoDataset;
import dev.pix2seq.data.coco.CocoImage;
import dev.pix2seq.data.coco.CocoLayout;
import dev.pix2seq.data.coco.CocoReader;
import dev.pix2seq.data.image.ImageFiles;
import dev.pix2seq.tasks.describe.CaptionCodec;
import dev.pix2seq.tasks.keypoint.KeypointCodec;
import dev.pix2seq.tasks.segment.SegmentationCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A COCO-format training dataset ({@link CocoLayout}) and, per task, the images it can learn
 * from: every image for detection and plug-in tasks; for segmentation those with a non-crowd
 * polygon instance, for keypoints those with a non-crowd instance with labeled keypoints, for
 * captions those with a non-blank caption. Images are read on demand. Thread-safe.
 */
final class TrainingData {
  private final Path root;
  private final CocoDataset dataset;
  private final Path imageDir;
  private final Map<String, int[]> eligible;

  private TrainingData(Path root, CocoDataset dataset, Map<String, int[]> eligible) {
    this.root = root;
    this.dataset = dataset;
    this.imageDir = new CocoLayout(root).imageDir();
    this.eligible = eligible;
  }

  /**
   * Reads the annotations of the dataset under {@code root} and checks that every image file
   * exists and that each task has images to learn from.
   *
   * @throws DatasetException naming the file: annotations missing or malformed, an image file
   *     missing, or a task without any usable image
   */
  static TrainingData read(Path root, List<String> tasks) throws DatasetException {
    CocoDataset dataset = new CocoReader().readDataset(root).dataset();
    if (dataset.images().isEmpty()) {
      throw new DatasetException(new CocoLayout(root).instancesFile() + ": the dataset has no "
          + "images to train on");
    }
    Path imageDir = new CocoLayout(root).imageDir();
    for (CocoImage image : dataset.images()) {
      Path file = ImageFiles.resolve(imageDir, image);
      if (!Files.isRegularFile(file)) {
        throw new DatasetException(
            file + ": image file not found (image id " + image.id() + ", file_name '"
                + image.fileName() + "')");
      }
    }
    Map<String, int[]> eligible = new LinkedHashMap<>();
    for (String task : tasks) {
      int[] positions = eligibleImages(dataset, task);
      if (positions.length == 0) {
        throw new DatasetException(root + ": task '" + task + "' has no image to learn from: "
            + requirement(task));
      }
      eligible.put(task, positions);
    }
    return new TrainingData(root, dataset, eligible);
  }

  private static int[] eligibleImages(CocoDataset dataset, String task) {
    Predicate<CocoImage> usable = switch (task) {
      case SegmentationCodec.NAME -> image -> dataset.annotationsOf(image.id()).stream()
          .anyMatch(TrainingData::hasPolygons);
      case KeypointCodec.NAME -> image -> dataset.annotationsOf(image.id()).stream()
          .anyMatch(a -> !a.crowd() && a.keypoints() != null
              && a.keypoints().labeledCount() > 0);
      case CaptionCodec.NAME -> image -> dataset.captionsOf(image.id()).stream()
          .anyMatch(c -> !c.caption().isBlank());
      default -> image -> true;
    };
    List<CocoImage> images = dataset.images();
    int[] out = new int[images.size()];
    int n = 0;
    for (int i = 0; i < images.size(); i++) {
      if (usable.test(images.get(i))) {
        out[n++] = i;
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }

  private static boolean hasPolygons(CocoAnnotation a) {
    return !a.crowd() && a.bbox().area() > 0
        && a.segmentation() instanceof PolygonMask pm && !pm.polygons().isEmpty();
  }

  private static String requirement(String task) {
    return switch (task) {
      case SegmentationCodec.NAME -> "it needs non-crowd annotations with polygon segmentations";
      case KeypointCodec.NAME -> "it needs non-crowd annotations with labeled keypoints";
      case CaptionCodec.NAME -> "it needs captions (" + CocoLayout.ANNOTATIONS + "/"
          + CocoLayout.CAPTIONS_FILE + ")";
      default -> "the dataset is empty";
    };
  }

  Path root() {
    return root;
  }

  CocoDataset dataset() {
    return dataset;
  }

  /** Positions (in {@code dataset().images()}) of the images task {@code task} learns from. */
  int[] eligible(String task) {
    int[] e = eligible.get(task);
    if (e == null) {
      throw new IllegalArgumentException("task '" + task + "' is not trained on this data");
    }
    return e;
  }

  /** Every non-blank caption, in file order (the tokenizer's training corpus). */
  List<String> captions() {
    List<String> out = new ArrayList<>();
    for (CocoCaption c : dataset.captions()) {
      if (!c.caption().isBlank()) {
        out.add(c.caption());
      }
    }
    return out;
  }

  /** Image file of the image at {@code position}, for messages. */
  Path imageFile(int position) {
    CocoImage image = dataset.images().get(position);
    return imageDir.resolve(image.fileName());
  }

  /**
   * The image at {@code position} with its annotations and captions.
   *
   * @throws DatasetException naming the file if it cannot be read or has another size than
   *     the annotations say
   */
  AnnotatedImage sample(int position) throws DatasetException {
    CocoImage image = dataset.images().get(position);
    return AnnotatedImage.fromCoco(
        ImageFiles.read(imageDir, image), dataset.annotationsOf(image.id()),
        dataset.captionsOf(image.id()));
  }
}
