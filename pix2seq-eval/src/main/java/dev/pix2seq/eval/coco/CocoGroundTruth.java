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
  private final Map<Long, int[]> annotationsByImage;

  private CocoGroundTruth(CocoDataset dataset, String source, double[] boxes) {
    this.dataset = dataset;
    this.source = source;
    this.boxes = boxes;
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
   * keeps each annotation's box exactly as written.
   *
   * @throws DatasetException if the file is missing or bad (the message names the entry)
   */
  public static CocoGroundTruth read(Path file) throws DatasetException {
    CocoDataset dataset = new CocoReader().readInstances(file).dataset();
    double[] exact = fileBoxes(file, dataset.annotations());
    return new CocoGroundTruth(dataset, file.toString(), exact);
  }

  /** Ground truth from a dataset in memory; boxes come from the corners of its annotations. */
  public static CocoGroundTruth of(CocoDataset dataset) {
    if (dataset == null) {
      throw new IllegalArgumentException("dataset must not be null");
    }
    List<CocoAnnotation> anns = dataset.annotations();
    double[] boxes = new double[4 * anns.size()];
    for (int i = 0; i < anns.size(); i++) {
      System.arraycopy(anns.get(i).bbox().toXywh(), 0, boxes, 4 * i, 4);
    }
    return new CocoGroundTruth(dataset, "ground truth", boxes);
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
   * The raw {@code bbox} numbers of every annotation, in file order, checked against the
   * dataset the reader built (same ids, same corners); where they disagree the corners win.
   */
  private static double[] fileBoxes(Path file, List<CocoAnnotation> anns)
      throws DatasetException {
    double[] boxes = new double[4 * anns.size()];
    for (int i = 0; i < anns.size(); i++) {
      System.arraycopy(anns.get(i).bbox().toXywh(), 0, boxes, 4 * i, 4);
    }
    try (InputStream in = Files.newInputStream(file);
        JsonParser p = JSON.createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return boxes;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("annotations".equals(name) && value == JsonToken.START_ARRAY) {
          int index = 0;
          while (p.nextToken() == JsonToken.START_OBJECT) {
            readBox(p, anns, index++, boxes);
          }
        } else {
          p.skipChildren();
        }
      }
    } catch (IOException e) {
      throw new DatasetException(file + ": cannot read: " + e.getMessage(), e);
    }
    return boxes;
  }

  private static void readBox(JsonParser p, List<CocoAnnotation> anns, int index, double[] out)
      throws IOException {
    Long id = null;
    double[] box = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      if ("id".equals(field) && t == JsonToken.VALUE_NUMBER_INT) {
        id = p.getLongValue();
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
    }
  }
}
