package dev.pix2seq.demo.eval;

import dev.pix2seq.api.DatasetException;
import dev.pix2seq.data.coco.CocoDataset;
import dev.pix2seq.data.coco.CocoImage;
import dev.pix2seq.data.coco.CocoLayout;
import dev.pix2seq.data.coco.CocoReader;
import dev.pix2seq.data.image.ImageFiles;
import dev.pix2seq.eval.coco.CocoGroundTruth;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The ground truth a model is evaluated against: a COCO-format dataset folder ({@link
 * CocoLayout}) read once, the instances as {@link CocoGroundTruth} (boxes exactly as the file
 * wrote them, as pycocotools reads them) and the captions, when the folder has them, as a
 * {@link CocoDataset}. Immutable and thread-safe.
 *
 * <pre>{@code
 * EvaluationDataset data = EvaluationDataset.read(Path.of("data/synth-val"));
 * }</pre>
 */
public final class EvaluationDataset {
  private final CocoLayout layout;
  private final CocoGroundTruth instances;
  private final CocoDataset captions;

  private EvaluationDataset(CocoLayout layout, CocoGroundTruth instances, CocoDataset captions) {
    this.layout = layout;
    this.instances = instances;
    this.captions = captions;
  }

  /**
   * Reads {@code root/annotations/instances.json} and, when present, {@code
   * root/annotations/captions.json}.
   *
   * @throws DatasetException naming the file when one is missing or bad
   */
  public static EvaluationDataset read(Path root) throws DatasetException {
    CocoLayout layout = new CocoLayout(root);
    Path instancesFile = layout.instancesFile();
    if (!Files.isRegularFile(instancesFile)) {
      throw new DatasetException(instancesFile + ": file not found; a dataset folder holds "
          + CocoLayout.IMAGES + "/ and " + CocoLayout.ANNOTATIONS + "/"
          + CocoLayout.INSTANCES_FILE + " (and optionally " + CocoLayout.ANNOTATIONS + "/"
          + CocoLayout.CAPTIONS_FILE + ")");
    }
    CocoGroundTruth gt = CocoGroundTruth.read(instancesFile);
    Path captionsFile = layout.captionsFile();
    CocoDataset captions = Files.exists(captionsFile)
        ? new CocoReader().readCaptions(captionsFile).dataset()
        : null;
    return new EvaluationDataset(layout, gt, captions);
  }

  /**
   * Ground truth already in memory; images are read from {@code root/images/}.
   *
   * @param root the dataset folder (for image files and messages)
   * @param instances images, categories and instance annotations
   * @param captions images and reference captions, or null for none
   */
  public static EvaluationDataset of(Path root, CocoGroundTruth instances, CocoDataset captions) {
    if (root == null || instances == null) {
      throw new IllegalArgumentException("an evaluation dataset needs a root and instances");
    }
    return new EvaluationDataset(new CocoLayout(root), instances, captions);
  }

  public CocoLayout layout() {
    return layout;
  }

  /** Images, categories and instance annotations, with the file's exact boxes. */
  public CocoGroundTruth instances() {
    return instances;
  }

  /** Images, categories and instance annotations. */
  public CocoDataset dataset() {
    return instances.dataset();
  }

  /** The reference captions, if the dataset has a captions file. */
  public Optional<CocoDataset> captions() {
    return Optional.ofNullable(captions);
  }

  /** The images of the instances file in file order, at most {@code limit} of them. */
  public List<CocoImage> images(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("image limit must be >= 1, found " + limit);
    }
    List<CocoImage> all = dataset().images();
    return all.subList(0, Math.min(limit, all.size()));
  }

  /**
   * The pixels of an image.
   *
   * @throws DatasetException naming the file when it is missing or cannot be decoded
   */
  public BufferedImage readImage(CocoImage image) throws DatasetException {
    return ImageFiles.read(layout.imageDir(), image);
  }

  /** Where the annotations came from, for messages. */
  public Path instancesFile() {
    return layout.instancesFile();
  }
}
