package dev.pix2seq.data.coco;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.pix2seq.api.config.ConfigIO;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.InstanceMask;
import dev.pix2seq.api.value.KeypointSchema;
import dev.pix2seq.api.value.Keypoints;
import dev.pix2seq.api.value.Polygon;
import dev.pix2seq.api.value.PolygonMask;
import dev.pix2seq.api.value.RleMask;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes standard COCO JSON: instances ({@code info}, {@code licenses}, {@code images},
 * {@code annotations}, {@code categories}) and captions ({@code info}, {@code licenses},
 * {@code type}, {@code images}, {@code annotations}).
 *
 * <p>Output is deterministic: fixed field order, one image, annotation or category per line,
 * no timestamps, integral numbers without a fraction. Segmentations are written as polygons
 * or compressed RLE ({@code {"size": [h, w], "counts": "..."}}), boxes as
 * {@code [x, y, width, height]}, skeletons 1-based. Files are written atomically.
 * {@link CocoReader} reads the result back to an equal dataset, given ground-truth keypoint
 * scores as the reader sets them (1 for labeled points and instances, 0 for unlabeled points;
 * COCO files carry no scores). The {@code info} block is written but not read back.
 *
 * <pre>{@code
 * CocoWriter.writeInstances(dataset, layout.instancesFile());
 * CocoWriter.writeCaptions(dataset, layout.captionsFile());
 * }</pre>
 *
 * <p>Stateless and thread safe.
 */
public final class CocoWriter {
  /** Schubfach double formatting: shortest round-tripping text, the same on every JDK. */
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
  private static final double MAX_EXACT_LONG = 9007199254740992.0; // 2^53

  private CocoWriter() {}

  /** Writes the images, instance annotations and categories of {@code dataset}; empty info. */
  public static void writeInstances(CocoDataset dataset, Path file) throws IOException {
    writeInstances(dataset, null, file);
  }

  /**
   * Writes the images, instance annotations and categories of {@code dataset} with an info
   * block ({@code null}: an empty one).
   *
   * @throws IllegalArgumentException if an annotation cannot be written as valid COCO: a
   *     non-finite area, keypoints that do not fit the category's schema, or an RLE mask whose
   *     size is not its image's
   */
  public static void writeInstances(CocoDataset dataset, CocoInfo info, Path file)
      throws IOException {
    ConfigIO.writeAtomically(file, instancesJson(dataset, info));
  }

  /** Writes the images and captions of {@code dataset}; empty info. */
  public static void writeCaptions(CocoDataset dataset, Path file) throws IOException {
    writeCaptions(dataset, null, file);
  }

  /** Writes the images and captions of {@code dataset} with an info block (null: empty). */
  public static void writeCaptions(CocoDataset dataset, CocoInfo info, Path file)
      throws IOException {
    ConfigIO.writeAtomically(file, captionsJson(dataset, info));
  }

  /**
   * Writes the annotation files of a dataset folder (see {@link CocoLayout}): the instances
   * file always, the captions file when the dataset has captions. Images are not written.
   */
  public static void writeDataset(CocoDataset dataset, CocoInfo info, Path root)
      throws IOException {
    CocoLayout layout = new CocoLayout(root);
    writeInstances(dataset, info, layout.instancesFile());
    if (!dataset.captions().isEmpty()) {
      writeCaptions(dataset, info, layout.captionsFile());
    }
  }

  /** The instances JSON as UTF-8 bytes (see {@link #writeInstances(CocoDataset, Path)}). */
  public static byte[] instancesJson(CocoDataset dataset, CocoInfo info) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.setPrettyPrinter(new EntryPerLinePrinter());
      g.writeStartObject();
      writeInfo(g, info);
      g.writeFieldName("images");
      writeImages(g, dataset);
      g.writeFieldName("annotations");
      g.writeStartArray();
      for (CocoAnnotation a : dataset.annotations()) {
        writeAnnotation(g, a, dataset);
      }
      g.writeEndArray();
      g.writeFieldName("categories");
      g.writeStartArray();
      for (Category c : dataset.categories()) {
        writeCategory(g, c);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    out.write('\n');
    return out.toByteArray();
  }

  /** The captions JSON as UTF-8 bytes (see {@link #writeCaptions(CocoDataset, Path)}). */
  public static byte[] captionsJson(CocoDataset dataset, CocoInfo info) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.setPrettyPrinter(new EntryPerLinePrinter());
      g.writeStartObject();
      writeInfo(g, info);
      g.writeStringField("type", "captions");
      g.writeFieldName("images");
      writeImages(g, dataset);
      g.writeFieldName("annotations");
      g.writeStartArray();
      for (CocoCaption c : dataset.captions()) {
        g.writeStartObject();
        g.writeNumberField("id", c.id());
        g.writeNumberField("image_id", c.imageId());
        g.writeStringField("caption", c.caption());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    out.write('\n');
    return out.toByteArray();
  }

  private static void writeInfo(JsonGenerator g, CocoInfo info) throws IOException {
    g.writeFieldName("info");
    g.writeStartObject();
    if (info != null) {
      g.writeStringField("description", info.description());
      g.writeStringField("version", info.version());
    }
    g.writeEndObject();
    g.writeFieldName("licenses");
    g.writeStartArray();
    g.writeEndArray();
  }

  private static void writeImages(JsonGenerator g, CocoDataset dataset) throws IOException {
    g.writeStartArray();
    for (CocoImage i : dataset.images()) {
      g.writeStartObject();
      g.writeNumberField("id", i.id());
      g.writeStringField("file_name", i.fileName());
      g.writeNumberField("width", i.width());
      g.writeNumberField("height", i.height());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void writeAnnotation(JsonGenerator g, CocoAnnotation a, CocoDataset dataset)
      throws IOException {
    if (!Double.isFinite(a.area())) {
      throw new IllegalArgumentException(
          "annotation " + a.id() + ": area must be finite, found " + a.area());
    }
    g.writeStartObject();
    g.writeNumberField("id", a.id());
    g.writeNumberField("image_id", a.imageId());
    g.writeNumberField("category_id", a.categoryId());
    g.writeNumberField("iscrowd", a.crowd() ? 1 : 0);
    g.writeFieldName("area");
    writeNumber(g, a.area());
    g.writeFieldName("bbox");
    g.writeStartArray();
    for (double v : a.bbox().toXywh()) {
      writeNumber(g, v);
    }
    g.writeEndArray();
    if (a.segmentation() != null) {
      g.writeFieldName("segmentation");
      writeSegmentation(g, a, dataset.image(a.imageId()));
    }
    if (a.keypoints() != null) {
      writeKeypoints(g, a, dataset.category(a.categoryId()));
    }
    g.writeEndObject();
  }

  private static void writeSegmentation(JsonGenerator g, CocoAnnotation a, CocoImage image)
      throws IOException {
    InstanceMask mask = a.segmentation();
    if (mask instanceof PolygonMask polygons) {
      g.writeStartArray();
      for (Polygon p : polygons.polygons()) {
        g.writeStartArray();
        for (double v : p.toXy()) {
          writeNumber(g, v);
        }
        g.writeEndArray();
      }
      g.writeEndArray();
    } else if (mask instanceof RleMask rle) {
      if (rle.height() != image.height() || rle.width() != image.width()) {
        throw new IllegalArgumentException(
            "annotation " + a.id() + ": RLE size must be its image's [" + image.height() + ", "
                + image.width() + "] (height, width), found [" + rle.height() + ", "
                + rle.width() + "]");
      }
      g.writeStartObject();
      g.writeFieldName("size");
      g.writeStartArray();
      g.writeNumber(rle.height());
      g.writeNumber(rle.width());
      g.writeEndArray();
      g.writeStringField("counts", rle.toCompressed());
      g.writeEndObject();
    } else {
      throw new IllegalArgumentException(
          "annotation " + a.id() + ": unknown mask type " + mask.getClass().getName());
    }
  }

  private static void writeKeypoints(JsonGenerator g, CocoAnnotation a, Category category)
      throws IOException {
    Keypoints kps = a.keypoints();
    KeypointSchema schema = category.keypoints();
    if (schema == null || schema.size() != kps.points().size()) {
      throw new IllegalArgumentException(
          "annotation " + a.id() + ": keypoints must match category " + category.id()
              + "'s schema of " + (schema == null ? 0 : schema.size()) + " keypoints, found "
              + kps.points().size());
    }
    g.writeFieldName("keypoints");
    g.writeStartArray();
    for (double v : kps.toCocoArray()) {
      writeNumber(g, v);
    }
    g.writeEndArray();
    g.writeNumberField("num_keypoints", kps.labeledCount());
  }

  private static void writeCategory(JsonGenerator g, Category c) throws IOException {
    g.writeStartObject();
    g.writeNumberField("id", c.id());
    g.writeStringField("name", c.name());
    g.writeStringField("supercategory", c.supercategory());
    KeypointSchema schema = c.keypoints();
    if (schema != null) {
      g.writeFieldName("keypoints");
      g.writeStartArray();
      for (String n : schema.names()) {
        g.writeString(n);
      }
      g.writeEndArray();
      g.writeFieldName("skeleton");
      g.writeStartArray();
      for (KeypointSchema.Edge e : schema.skeleton()) {
        g.writeStartArray();
        g.writeNumber(e.from() + 1);
        g.writeNumber(e.to() + 1);
        g.writeEndArray();
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  /** Integral values without a fraction (as COCO files have them), others as Java prints. */
  private static void writeNumber(JsonGenerator g, double v) throws IOException {
    boolean negativeZero = v == 0 && Double.doubleToRawLongBits(v) != 0;
    if (v == Math.rint(v) && Math.abs(v) <= MAX_EXACT_LONG && !negativeZero) {
      g.writeNumber((long) v);
    } else {
      g.writeNumber(v);
    }
  }

  /**
   * Compact JSON with each top-level field, and each element of a top-level array, on its own
   * line: small diffs, readable heads, no per-value indentation cost on large files.
   */
  private static final class EntryPerLinePrinter implements PrettyPrinter {
    private int depth;

    @Override
    public void writeRootValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw('\n');
    }

    @Override
    public void writeStartObject(JsonGenerator g) throws IOException {
      g.writeRaw('{');
      depth++;
    }

    @Override
    public void writeEndObject(JsonGenerator g, int nrOfEntries) throws IOException {
      if (depth == 1) {
        g.writeRaw('\n');
      }
      g.writeRaw('}');
      depth--;
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
      g.writeRaw(depth == 1 ? ",\n" : ",");
    }

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(':');
    }

    @Override
    public void writeStartArray(JsonGenerator g) throws IOException {
      g.writeRaw('[');
      depth++;
    }

    @Override
    public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
      if (depth == 2 && nrOfValues > 0) {
        g.writeRaw('\n');
      }
      g.writeRaw(']');
      depth--;
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(depth == 2 ? ",\n" : ",");
    }

    @Override
    public void beforeArrayValues(JsonGenerator g) throws IOException {
      if (depth == 2) {
        g.writeRaw('\n');
      }
    }

    @Override
    public void beforeObjectEntries(JsonGenerator g) throws IOException {
      if (depth == 1) {
        g.writeRaw('\n');
      }
    }
  }
}
