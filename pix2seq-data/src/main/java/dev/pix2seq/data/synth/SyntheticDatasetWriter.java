package dev.pix2seq.data.synth;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Keypoint;
import dev.pix2seq.api.value.Keypoints;
import dev.pix2seq.api.value.Polygon;
import dev.pix2seq.api.value.PolygonMask;
import dev.pix2seq.data.augment.AreaPolygons;
import dev.pix2seq.data.coco.CocoAnnotation;
import dev.pix2seq.data.coco.CocoCaption;
import dev.pix2seq.data.coco.CocoDataset;
import dev.pix2seq.data.coco.CocoImage;
import dev.pix2seq.data.coco.CocoInfo;
import dev.pix2seq.data.coco.CocoLayout;
import dev.pix2seq.data.coco.CocoWriter;
import dev.pix2seq.data.image.ImageFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Writes scenes {@code 0..n-1} of a {@link SyntheticSceneGenerator} as a COCO dataset folder
 * ({@link CocoLayout}): {@code images/000000.png, 000001.png, ...} (file name = scene index),
 * {@code annotations/instances.json} (boxes, polygons, person keypoints with the keypoint
 * category) and {@code annotations/captions.json} (the first caption of an image is its canonical
 * one). Image ids are scene index + 1, annotation and caption ids count from 1 in image order.
 *
 * <p>Coordinates and areas are written rounded to {@value #DECIMALS} decimals (1/100 pixel), which
 * keeps the files small; boxes are the bounds of the rounded polygons. Same generator options,
 * same bytes in every file. Every file is written atomically; files already in the folder under
 * other names are left alone. Images are generated and encoded in parallel.
 *
 * <pre>{@code
 * var writer = new SyntheticDatasetWriter(new SyntheticSceneGenerator(SceneOptions.defaults()));
 * SyntheticDatasetWriter.Summary s = writer.write(Path.of("data/synth-train"), 2000);
 * }</pre>
 */
public final class SyntheticDatasetWriter {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(SyntheticDatasetWriter.class);

  /** Decimals kept in written coordinates and areas. */
  public static final int DECIMALS = 2;

  private static final double SCALE = Math.pow(10, DECIMALS);

  private final SyntheticSceneGenerator generator;

  public SyntheticDatasetWriter(SyntheticSceneGenerator generator) {
    if (generator == null) {
      throw new IllegalArgumentException("generator must not be null");
    }
    this.generator = generator;
  }

  /**
   * What was written.
   *
   * @param root the dataset folder
   * @param images image count
   * @param annotations instance annotation count
   * @param captions caption count
   */
  public record Summary(Path root, int images, int annotations, int captions) {}

  /** The image file name of scene {@code index}. */
  public static String fileName(long index) {
    return String.format(Locale.ROOT, "%06d.png", index);
  }

  /**
   * Writes scenes {@code 0..imageCount-1} under {@code root}.
   *
   * @throws IOException if a file cannot be written
   */
  public Summary write(Path root, int imageCount) throws IOException {
    if (imageCount < 0) {
      throw new IllegalArgumentException("imageCount must be >= 0, found " + imageCount);
    }
    CocoLayout layout = new CocoLayout(root);
    Path imageDir = layout.imageDir();
    Files.createDirectories(imageDir);
    List<SceneAnnotations> scenes;
    try {
      scenes = IntStream.range(0, imageCount).parallel().mapToObj(i -> {
        SyntheticScene scene = generator.generate(i);
        Path file = imageDir.resolve(fileName(i));
        try {
          ImageFiles.writePng(scene.image(), file);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write image " + file + ": " + e.getMessage(), e);
        }
        return SceneAnnotations.of(scene);
      }).toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    CocoDataset dataset = toDataset(scenes);
    CocoInfo info = info();
    CocoWriter.writeInstances(dataset, info, layout.instancesFile());
    CocoWriter.writeCaptions(dataset, info, layout.captionsFile());
    return new Summary(root, dataset.images().size(), dataset.annotations().size(),
        dataset.captions().size());
  }

  /**
   * Scenes {@code 0..imageCount-1} as an in-memory COCO dataset, exactly as {@link #write}
   * stores it, without making image files.
   */
  public CocoDataset dataset(int imageCount) {
    List<SceneAnnotations> scenes = new ArrayList<>(imageCount);
    for (int i = 0; i < imageCount; i++) {
      scenes.add(SceneAnnotations.of(generator.generate(i)));
    }
    return toDataset(scenes);
  }

  private CocoInfo info() {
    SceneOptions o = generator.options();
    return new CocoInfo("pix2seq-java synthetic scenes: seed " + o.seed() + ", " + o.width()
        + "x" + o.height() + ", " + o.minObjects() + " to " + o.maxObjects() + " objects", "1");
  }

  /** A scene without its pixels, so a large dataset does not pile up images in memory. */
  private record SceneAnnotations(long index, List<SceneInstance> instances,
      List<String> captions) {
    static SceneAnnotations of(SyntheticScene s) {
      return new SceneAnnotations(s.index(), s.instances(), s.captions());
    }
  }

  private CocoDataset toDataset(List<SceneAnnotations> scenes) {
    SceneOptions o = generator.options();
    List<CocoImage> images = new ArrayList<>(scenes.size());
    List<CocoAnnotation> annotations = new ArrayList<>();
    List<CocoCaption> captions = new ArrayList<>();
    int degenerate = 0;
    for (SceneAnnotations s : scenes) {
      long imageId = s.index() + 1;
      images.add(new CocoImage(imageId, fileName(s.index()), o.width(), o.height()));
      for (SceneInstance in : s.instances()) {
        List<Polygon> polygons = new ArrayList<>(in.polygons().size());
        for (Polygon p : in.polygons()) {
          Polygon r = Polygon.ofXy(round(p.toXy()));
          if (r.area() > 0) {
            polygons.add(r);
          }
        }
        if (polygons.isEmpty()) {
          degenerate++;
          continue;
        }
        BoundingBox box = AreaPolygons.bounds(polygons);
        double area = round(AreaPolygons.totalArea(polygons));
        annotations.add(new CocoAnnotation(annotations.size() + 1, imageId, in.categoryId(), box,
            new PolygonMask(polygons), area, false, round(in.keypoints())));
      }
      for (String c : s.captions()) {
        captions.add(new CocoCaption(captions.size() + 1, imageId, c));
      }
    }
    if (degenerate > 0) {
      LOG.warn("left out {} instances whose visible polygons have zero area after rounding to "
          + "0.01 px", degenerate);
    }
    return new CocoDataset(images, generator.categories(), annotations, captions);
  }

  private static double round(double v) {
    return Math.round(v * SCALE) / SCALE;
  }

  private static double[] round(double[] xy) {
    double[] out = new double[xy.length];
    for (int i = 0; i < xy.length; i++) {
      out[i] = round(xy[i]);
    }
    return out;
  }

  private static Keypoints round(Keypoints k) {
    if (k == null) {
      return null;
    }
    List<Keypoint> pts = new ArrayList<>(k.points().size());
    for (Keypoint p : k.points()) {
      pts.add(new Keypoint(round(p.x()), round(p.y()), p.visibility(), p.score()));
    }
    return new Keypoints(pts, k.score());
  }
}
