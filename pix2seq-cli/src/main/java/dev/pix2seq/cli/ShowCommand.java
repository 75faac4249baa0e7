package dev.pix2seq.cli;

import dev.pix2seq.data.coco.CocoCaption;
import dev.pix2seq.data.coco.CocoDataset;
import dev.pix2seq.data.coco.CocoImage;
import dev.pix2seq.data.coco.CocoLayout;
import dev.pix2seq.data.coco.CocoReader;
import dev.pix2seq.data.image.ImageFiles;
import dev.pix2seq.data.render.AnnotationPainter;
import dev.pix2seq.data.render.OverlayItem;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code pix2seq show}: draws the ground truth of one dataset image into a PNG. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = {
      "Draw the ground truth of one image of a COCO-format dataset (boxes, masks,",
      "keypoints with skeleton, captions) into a PNG."
    })
final class ShowCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--data", required = true, paramLabel = "DIR",
      description = "Dataset folder (images/ and annotations/).")
  Path data;

  @ArgGroup(exclusive = true)
  Which which = new Which();

  static final class Which {
    @Option(names = "--image-id", paramLabel = "ID", description = "COCO image id.")
    Long imageId;

    @Option(names = "--index", paramLabel = "I", defaultValue = "0",
        description = "Position of the image in the file (default: ${DEFAULT-VALUE}).")
    int index;
  }

  @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "Output PNG.")
  Path out;

  @Option(names = "--scale", paramLabel = "K", defaultValue = "3",
      description = "Enlargement factor (default: ${DEFAULT-VALUE}).")
  int scale;

  @Override
  public Integer call() throws Exception {
    if (scale < 1 || scale > 16) {
      throw new ParameterException(spec.commandLine(), "--scale must be in 1..16, found " + scale);
    }
    CocoDataset dataset = new CocoReader().readDataset(data).dataset();
    CocoImage image = pick(dataset);
    BufferedImage pixels = ImageFiles.read(new CocoLayout(data).imageDir(), image);
    List<OverlayItem> items =
        dataset.annotationsOf(image.id()).stream()
            .map(a -> OverlayItem.groundTruth(a.bbox(), a.categoryId(), a.segmentation(),
                a.keypoints()))
            .toList();
    List<String> captions =
        dataset.captionsOf(image.id()).stream().map(CocoCaption::caption).toList();
    BufferedImage painted =
        new AnnotationPainter(dataset.categories(), scale).paint(pixels, items, captions);
    ImageFiles.writePng(painted, out);
    spec.commandLine().getOut().printf("image %d (%s): %d annotations, %d captions -> %s%n",
        image.id(), image.fileName(), items.size(), captions.size(), out);
    spec.commandLine().getOut().flush();
    return 0;
  }

  private CocoImage pick(CocoDataset dataset) {
    if (which.imageId != null) {
      CocoImage image = dataset.image(which.imageId);
      if (image == null) {
        throw new ParameterException(spec.commandLine(),
            "--image-id " + which.imageId + " is not in " + data);
      }
      return image;
    }
    if (which.index < 0 || which.index >= dataset.images().size()) {
      throw new ParameterException(spec.commandLine(),
          "--index must be in 0.." + (dataset.images().size() - 1) + ", found " + which.index);
    }
    return dataset.images().get(which.index);
  }
}
