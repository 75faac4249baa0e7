package dev.pix2seq.eval.coco;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.pix2seq.api.DatasetException;
import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.data.coco.CocoAnnotation;
import dev.pix2seq.data.coco.CocoDataset;
import dev.pix2seq.data.coco.CocoReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ground truth for a COCO evaluation: a {@link CocoDataset} (images, categories, instance
 * annotations) plus each annotation's box as the file wrote it, {@code [x, y, width, height]}.
 *
 * <p>The exact box matters: pycocotools computes box IoU and the OKS fallback region from
 * {@code x, y, w, h} directly, while {@link BoundingBox} keeps corners, and {@code (x + w) - x}
 * is not always {@code w} in floating point. {@link #read(Path)} recovers the file's numbers;
 * {@link #of(CocoDataset)} derives them from the corners (exact for integer boxes, within an
 * ulp otherwise).
 *
 * <pre>{@code
 * CocoGroundTruth gt = CocoGroundTruth.read(Path.of("instances_val2017.json"));
 * }</pre>
 *
 * <p>Immutable and thread safe.
 */
public final class CocoGroundTruth {
  private static final JsonFactory JSON = new JsonFactory();

  private final CocoDataset dataset;
  private final String source;
  private final double[] boxes;
  private final int[] numKeypoints;
  private final List<String> warnings;
  private final Map<Long, int[]> annotationsByImage;

  private CocoGroundTruth(CocoDataset dataset, String source, double[] boxes,
      int[] numKeypoints) {
    this.dataset = dataset;
    this.source = source;
    this.boxes = boxes;
    this.numKeypoints = numKeypoints;
    int disagreeing = 0;
    List<CocoAnnotation> all = dataset.annotations();
    for (int i = 0; i < all.size(); i++) {
      disagreeing += numKeypoints[i] != labeled(all.get(i)) ? 1 : 0;
    }
    this.warnings = disagreeing == 0 ? List.of() : List.of(source + ": " + disagreeing
        + " annotations have a num_keypoints other than their keypoints with v > 0; the field "
        + "is used as given, as pycocotools does (num_keypoints 0 makes an object ignored)");
    Map<Long, List<Integer>> byImage = new HashMap<>();
    List<CocoAnnotation> anns = dataset.annotations();
    for (int i = 0; i < anns.size(); i++) {
      byImage.computeIfAbsent(anns.get(i).imageId(), k -> new ArrayList<>()).add(i);
    }
    Map<Long, int[]> frozen = new HashMap<>();
    byImage.forEach((k, v) -> frozen.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
    this.annotationsByImage = frozen;
  }

  /**
   * Reads a COCO instances or person-keypoints file with the strict {@link CocoReader} and
   * keeps each annotation's box exactly as written. A {@code num_keypoints} that disagrees with
   * the visibilities is used as given, as pycocotools does, and reported in {@link
   * #warnings()}.
   *
   * @throws DatasetException if the file is missing or bad (the message names the entry)
   */
  public static CocoGroundTruth read(Path file) throws DatasetException {
    return read(file, false);
  }

  /**
   * {@link #read(Path)}; {@code strict} also refuses a {@code num_keypoints} that disagrees with
   * the visibilities.
   *
   * @throws DatasetException if the file is missing or bad (the message names the entry)
   */
  public static CocoGroundTruth read(Path file, boolean strict) throws DatasetException {
    CocoDataset dataset = new CocoReader(CocoReader.Options.strict()
        .withNumKeypointsAsGiven(!strict)).readInstances(file).dataset();
    CocoGroundTruth derived = of(dataset);
    double[] exact = derived.boxes.clone();
    int[] stated = derived.numKeypoints.clone();
    readFileNumbers(file, dataset.annotations(), exact, stated);
    return new CocoGroundTruth(dataset, file.toString(), exact, stated);
  }

  /** Ground truth from a dataset in memory; boxes come from the corners of its annotations. */
  public static CocoGroundTruth of(CocoDataset dataset) {
    if (dataset == null) {
      throw new IllegalArgumentException("dataset must not be null");
    }
    List<CocoAnnotation> anns = dataset.annotations();
    double[] boxes = new double[4 * anns.size()];
    int[] stated = new int[anns.size()];
    for (int i = 0; i < anns.size(); i++) {
      System.arraycopy(anns.get(i).bbox().toXywh(), 0, boxes, 4 * i, 4);
      stated[i] = labeled(anns.get(i));
    }
    return new CocoGroundTruth(dataset, "ground truth", boxes, stated);
  }

  /**
   * What was accepted although pycocotools would only accept it silently ({@code num_keypoints}
   * disagreeing with the visibilities), one line per kind; empty when nothing was odd.
   */
  public List<String> warnings() {
    return warnings;
  }

  /**
   * The {@code num_keypoints} of the annotation at this position: as the file gives it, else
   * its keypoints with {@code v > 0} (0 without keypoints).
   */
  public int numKeypoints(int annotationIndex) {
    return numKeypoints[annotationIndex];
  }

  private static int labeled(CocoAnnotation a) {
    return a.keypoints() == null ? 0 : a.keypoints().labeledCount();
  }

  public CocoDataset dataset() {
    return dataset;
  }

  /** The file it was read from, or "ground truth" for a dataset given in memory. */
  public String source() {
    return source;
  }

  /** The box {@code [x, y, w, h]} of the annotation at this position of the annotation list. */
  public double[] box(int annotationIndex) {
    double[] b = new double[4];
    System.arraycopy(boxes, 4 * annotationIndex, b, 0, 4);
    return b;
  }

  double boxValue(int annotationIndex, int coordinate) {
    return boxes[4 * annotationIndex + coordinate];
  }

  /** Positions in the annotation list of an image's annotations, in file order. */
  int[] annotationIndicesOf(long imageId) {
    return annotationsByImage.getOrDefault(imageId, new int[0]);
  }

  /**
   * Overwrites {@code boxes} with the raw {@code bbox} numbers and {@code numKeypoints} with the
   * {@code num_keypoints} of every annotation the file gives them for, in file order, where the
   * entry matches the dataset the reader built (same id, same corners).
   */
  private static void readFileNumbers(Path file, List<CocoAnnotation> anns, double[] boxes,
      int[] numKeypoints) throws DatasetException {
    try (InputStream in = Files.newInputStream(file);
        JsonParser p = JSON.createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("annotations".equals(name) && value == JsonToken.START_ARRAY) {
          int index = 0;
          while (p.nextToken() == JsonToken.START_OBJECT) {
            readEntry(p, anns, index++, boxes, numKeypoints);
          }
        } else {
          p.skipChildren();
        }
      }
    } catch (IOException e) {
      throw new DatasetException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static void readEntry(JsonParser p, List<CocoAnnotation> anns, int index,
      double[] out, int[] numKeypoints) throws IOException {
    Long id = null;
    double[] box = null;
    Integer stated = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      if ("id".equals(field) && t == JsonToken.VALUE_NUMBER_INT) {
        id = p.getLongValue();
      } else if ("num_keypoints".equals(field) && t == JsonToken.VALUE_NUMBER_INT) {
        stated = p.getIntValue();
      } else if ("bbox".equals(field) && t == JsonToken.START_ARRAY) {
        double[] b = new double[4];
        int k = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          if (k < 4 && p.currentToken().isNumeric()) {
            b[k] = p.getDoubleValue();
          }
          k++;
          p.skipChildren();
        }
        box = k == 4 ? b : null;
      } else {
        p.skipChildren();
      }
    }
    if (index >= anns.size() || id == null || box == null) {
      return;
    }
    CocoAnnotation a = anns.get(index);
    if (a.id() == id && BoundingBox.ofXywh(box[0], box[1], box[2], box[3]).equals(a.bbox())) {
      System.arraycopy(box, 0, out, 4 * index, 4);
      if (stated != null) {
        numKeypoints[index] = stated;
      }
    }
  }
}
