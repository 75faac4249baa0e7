package dev.pix2seq.data.coco;

import static dev.pix2seq.data.coco.CocoFields.anyText;
import static dev.pix2seq.data.coco.CocoFields.bbox;
import static dev.pix2seq.data.coco.CocoFields.crowd;
import static dev.pix2seq.data.coco.CocoFields.describe;
import static dev.pix2seq.data.coco.CocoFields.integer;
import static dev.pix2seq.data.coco.CocoFields.intValue;
import static dev.pix2seq.data.coco.CocoFields.keypointSchema;
import static dev.pix2seq.data.coco.CocoFields.keypointValues;
import static dev.pix2seq.data.coco.CocoFields.number;
import static dev.pix2seq.data.coco.CocoFields.positiveInt;
import static dev.pix2seq.data.coco.CocoFields.requireObject;
import static dev.pix2seq.data.coco.CocoFields.segmentation;
import static dev.pix2seq.data.coco.CocoFields.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pix2seq.api.DatasetException;
import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.InstanceMask;
import dev.pix2seq.api.value.Keypoint;
import dev.pix2seq.api.value.KeypointSchema;
import dev.pix2seq.api.value.Keypoints;
import dev.pix2seq.api.value.Polygon;
import dev.pix2seq.api.value.PolygonMask;
import dev.pix2seq.api.value.RleMask;
import dev.pix2seq.api.value.Visibility;
import dev.pix2seq.data.coco.ReadReport.SkipReason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads COCO JSON: instances files (images, categories with keypoint names and skeleton,
 * annotations with polygons, compressed or uncompressed RLE, crowd flags, areas, boxes and
 * keypoints) and captions files (images and annotations with a caption).
 *
 * <pre>{@code
 * CocoDataset train = new CocoReader().readDataset(Path.of("data/train")).dataset();
 *
 * CocoReader.Result r = new CocoReader(CocoReader.Options.lenient()).readInstances(file);
 * if (!r.report().isClean()) { ... r.report().skipped() ... }
 * }</pre>
 *
 * <p><b>Errors.</b> Anything unexpected throws a {@link DatasetException} whose message names
 * the file, the JSON path with the entry's id, and what was expected and found, for example
 * {@code instances.json: annotations[12].segmentation[0] (annotation id 345): expected at
 * least 3 points (6 numbers), found 4 numbers}. In lenient mode ({@link Options#lenient()})
 * a problem confined to one annotation (a bad field, box, segmentation or keypoints, a
 * duplicate id, a missing image or category) skips that annotation instead; skips are counted
 * per reason, logged once per file at WARN and returned in the {@link ReadReport}. Malformed
 * JSON and bad images or categories always throw.
 *
 * <p><b>Conventions.</b> Image ids are longs, category ids ints. Skeleton edges are 1-based
 * in the file and 0-based in {@link KeypointSchema}. Keypoints must number 3 times the
 * category's keypoint names; a labeled keypoint gets score 1, an unlabeled one score 0 (its
 * coordinates are kept as given), the instance score 1. {@code num_keypoints}, when present,
 * must equal the number of keypoints with {@code v > 0} (unless {@link
 * Options#numKeypointsAsGiven()}). An RLE's {@code size} must be its
 * image's {@code [height, width]}. A missing {@code area} is computed from the segmentation
 * (RLE pixel count, or summed polygon areas), else from the box. {@code iscrowd} defaults to
 * 0; {@code segmentation}, {@code keypoints} and unknown fields are optional.
 *
 * <p>Files are streamed one entry at a time, so memory grows with the dataset, not with the
 * JSON text. Immutable and thread safe.
 */
public final class CocoReader {
  private static final Logger LOG = LoggerFactory.getLogger(CocoReader.class);
  private static final ObjectMapper MAPPER =
      new ObjectMapper(
          JsonFactory.builder()
              .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
              .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
              .build());

  /**
   * How strictly to read.
   *
   * @param skipBadAnnotations skip (and count) annotations with problems instead of failing
   * @param numKeypointsAsGiven accept a {@code num_keypoints} that disagrees with the
   *     visibilities (pycocotools uses the field as given; evaluation reads it from the file)
   */
  public record Options(boolean skipBadAnnotations, boolean numKeypointsAsGiven) {

    /** Options that check {@code num_keypoints}. */
    public Options(boolean skipBadAnnotations) {
      this(skipBadAnnotations, false);
    }

    /** Fail on the first problem (the default). */
    public static Options strict() {
      return new Options(false);
    }

    /** Skip, count and log annotations with problems. */
    public static Options lenient() {
      return new Options(true);
    }

    /** These options, accepting {@code num_keypoints} as given or not. */
    public Options withNumKeypointsAsGiven(boolean asGiven) {
      return new Options(skipBadAnnotations, asGiven);
    }
  }

  /**
   * A dataset and what was skipped reading it.
   *
   * @param dataset the dataset
   * @param report annotations skipped per reason (always clean in strict mode)
   */
  public record Result(CocoDataset dataset, ReadReport report) {

    public Result {
      if (dataset == null || report == null) {
        throw new IllegalArgumentException("a read result needs a dataset and a report");
      }
    }
  }

  private final Options options;

  /** A strict reader. */
  public CocoReader() {
    this(Options.strict());
  }

  /** A reader with the given options. */
  public CocoReader(Options options) {
    if (options == null) {
      throw new IllegalArgumentException("options must not be null");
    }
    this.options = options;
  }

  public Options options() {
    return options;
  }

  /**
   * Reads a COCO instances file: images, categories and instance annotations (no captions).
   *
   * @throws DatasetException if the file is missing, not valid JSON, or holds bad entries
   *     (see the class description)
   */
  public Result readInstances(Path file) throws DatasetException {
    FileRead read = new FileRead(file, true);
    read.parse();
    return read.finish();
  }

  /**
   * Reads a COCO captions file: images and caption annotations (no categories, no instances).
   *
   * @throws DatasetException if the file is missing, not valid JSON, or holds bad entries
   */
  public Result readCaptions(Path file) throws DatasetException {
    FileRead read = new FileRead(file, false);
    read.parse();
    return read.finish();
  }

  /**
   * Reads a dataset folder laid out as {@link CocoLayout} describes: the instances file
   * (required) and the captions file (when present). Images of both files are merged: an id in
   * both must have the same entry; images only in the captions file are appended.
   *
   * @param root the dataset folder
   * @throws DatasetException if the instances file is missing, a file is bad, or the two files
   *     disagree about an image
   */
  public Result readDataset(Path root) throws DatasetException {
    CocoLayout layout = new CocoLayout(root);
    Path instancesFile = layout.instancesFile();
    if (!Files.isRegularFile(instancesFile)) {
      throw new DatasetException(
          instancesFile + ": file not found; a dataset folder holds "
              + CocoLayout.IMAGES + "/, " + CocoLayout.ANNOTATIONS + "/"
              + CocoLayout.INSTANCES_FILE + " and optionally " + CocoLayout.ANNOTATIONS + "/"
              + CocoLayout.CAPTIONS_FILE);
    }
    Result instances = readInstances(instancesFile);
    Path captionsFile = layout.captionsFile();
    if (!Files.exists(captionsFile)) {
      return instances;
    }
    Result captions = readCaptions(captionsFile);
    CocoDataset a = instances.dataset();
    CocoDataset b = captions.dataset();
    List<CocoImage> images = new ArrayList<>(a.images());
    for (CocoImage img : b.images()) {
      CocoImage same = a.image(img.id());
      if (same == null) {
        images.add(img);
      } else if (!same.equals(img)) {
        throw new DatasetException(
            captionsFile + ": image id " + img.id() + ": expected the entry of " + instancesFile
                + " (" + describeImage(same) + "), found " + describeImage(img));
      }
    }
    CocoDataset merged = new CocoDataset(images, a.categories(), a.annotations(), b.captions());
    return new Result(merged, instances.report().plus(captions.report()));
  }

  private static String describeImage(CocoImage i) {
    return "file_name '" + i.fileName() + "', " + i.width() + "x" + i.height();
  }

  private record PendingInstance(
      int index,
      long id,
      long imageId,
      int categoryId,
      BoundingBox bbox,
      InstanceMask segmentation,
      Double area,
      boolean crowd,
      double[] keypoints,
      Integer numKeypoints) {}

  private record PendingCaption(int index, long id, long imageId, String caption) {}

  /** The state of reading one file. */
  private final class FileRead {
    private final Path file;
    private final boolean instances;
    private final List<CocoImage> images = new ArrayList<>();
    private final Map<Long, Integer> imageIndex = new HashMap<>();
    private final List<Category> categories = new ArrayList<>();
    private final Map<Integer, Integer> categoryIndex = new HashMap<>();
    private final List<PendingInstance> pendingInstances = new ArrayList<>();
    private final List<PendingCaption> pendingCaptions = new ArrayList<>();
    private final Map<SkipReason, Integer> skipped = new EnumMap<>(SkipReason.class);
    private final Map<SkipReason, String> firstProblem = new EnumMap<>(SkipReason.class);
    private int annotationCount;

    FileRead(Path file, boolean instances) {
      this.file = file;
      this.instances = instances;
    }

    void parse() throws DatasetException {
      boolean sawImages = false;
      boolean sawAnnotations = false;
      try (InputStream in = Files.newInputStream(file);
          JsonParser p = MAPPER.createParser(in)) {
        JsonToken first = p.nextToken();
        if (first == null) {
          throw fatal("(top level)", "expected a JSON object, found an empty file");
        }
        if (first != JsonToken.START_OBJECT) {
          throw fatal("(top level)",
              "expected a JSON object, found " + describe(p.readValueAsTree()));
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          switch (name) {
            case "images" -> {
              sawImages = true;
              forEachElement(p, name, this::readImage);
            }
            case "categories" -> {
              if (instances) {
                forEachElement(p, name, this::readCategory);
              } else {
                p.skipChildren();
              }
            }
            case "annotations" -> {
              sawAnnotations = true;
              forEachElement(p, name, (n, i) -> {
                annotationCount++;
                readAnnotation(n, i);
              });
            }
            default -> p.skipChildren();
          }
        }
        if (p.nextToken() != null) {
          throw fatal("(top level)", "expected the end of the file after the top-level object, "
              + "found more content at line " + p.currentLocation().getLineNr());
        }
      } catch (NoSuchFileException e) {
        throw new DatasetException(file + ": file not found", e);
      } catch (JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        String at = loc == null
            ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
        throw new DatasetException(
            file + ": not valid JSON: " + e.getOriginalMessage() + at, e);
      } catch (IOException e) {
        throw new DatasetException(file + ": cannot read: " + e.getMessage(), e);
      }
      if (!sawImages) {
        throw fatal("images", "expected an array of images, found no such field");
      }
      if (!sawAnnotations) {
        throw fatal("annotations", "expected an array of annotations, found no such field");
      }
    }

    /** What to do with each element of a top-level array, by position. */
    private interface EntryReader {
      void read(JsonNode entry, int index) throws DatasetException;
    }

    /**
     * Reads the array at the parser's current token one element at a time (only one entry is
     * held as a tree at once).
     */
    private void forEachElement(JsonParser p, String field, EntryReader reader)
        throws IOException, DatasetException {
      if (p.currentToken() != JsonToken.START_ARRAY) {
        throw fatal(field, "expected an array, found " + describe(p.readValueAsTree()));
      }
      int index = 0;
      while (p.nextToken() != JsonToken.END_ARRAY) {
        reader.read(p.readValueAsTree(), index++);
      }
    }

    private DatasetException fatal(String path, String detail) {
      return new DatasetException(file + ": " + path + ": " + detail);
    }

    private DatasetException fatal(String section, int index, String idLabel, Long id,
        EntryProblem p) {
      String idPart = id == null ? "" : " (" + idLabel + " " + id + ")";
      return new DatasetException(
          file + ": " + section + "[" + index + "]" + p.relativePath() + idPart + ": "
              + p.detail());
    }

    private void readImage(JsonNode n, int index) throws DatasetException {
      Long id = null;
      try {
        requireObject(n, SkipReason.BAD_FIELD);
        id = integer(n.get("id"), ".id", SkipReason.BAD_FIELD);
        String fileName = text(n.get("file_name"), ".file_name", SkipReason.BAD_FIELD);
        int width = positiveInt(n.get("width"), ".width");
        int height = positiveInt(n.get("height"), ".height");
        Integer previous = imageIndex.putIfAbsent(id, index);
        if (previous != null) {
          throw new EntryProblem(SkipReason.DUPLICATE_ID, ".id",
              "expected an id not used before, found image id " + id + " again (first at images["
                  + previous + "])");
        }
        images.add(new CocoImage(id, fileName, width, height));
      } catch (EntryProblem p) {
        throw fatal("images", index, "image id", id, p);
      }
    }

    private void readCategory(JsonNode n, int index) throws DatasetException {
      Long id = null;
      try {
        requireObject(n, SkipReason.BAD_FIELD);
        int catId = intValue(n.get("id"), ".id", SkipReason.BAD_FIELD);
        id = (long) catId;
        String name = text(n.get("name"), ".name", SkipReason.BAD_FIELD);
        JsonNode superNode = n.get("supercategory");
        String supercategory = superNode == null || superNode.isNull()
            ? "" : anyText(superNode, ".supercategory");
        KeypointSchema schema = keypointSchema(n);
        Integer previous = categoryIndex.putIfAbsent(catId, index);
        if (previous != null) {
          throw new EntryProblem(SkipReason.DUPLICATE_ID, ".id",
              "expected an id not used before, found category id " + catId
                  + " again (first at categories[" + previous + "])");
        }
        categories.add(new Category(catId, name, supercategory, schema));
      } catch (EntryProblem p) {
        throw fatal("categories", index, "category id", id, p);
      }
    }

    private void readAnnotation(JsonNode n, int index) throws DatasetException {
      Long id = null;
      try {
        requireObject(n, SkipReason.BAD_FIELD);
        id = integer(n.get("id"), ".id", SkipReason.BAD_FIELD);
        long imageId = integer(n.get("image_id"), ".image_id", SkipReason.BAD_FIELD);
        if (instances) {
          pendingInstances.add(readInstance(n, index, id, imageId));
        } else {
          String caption = anyText(n.get("caption"), ".caption");
          pendingCaptions.add(new PendingCaption(index, id, imageId, caption));
        }
      } catch (EntryProblem p) {
        skip(index, id, p);
      }
    }

    private PendingInstance readInstance(JsonNode n, int index, long id, long imageId)
        throws EntryProblem {
      int categoryId = intValue(n.get("category_id"), ".category_id", SkipReason.BAD_FIELD);
      BoundingBox bbox = bbox(n.get("bbox"));
      InstanceMask segmentation = segmentation(n.get("segmentation"));
      JsonNode areaNode = n.get("area");
      Double area = null;
      if (areaNode != null && !areaNode.isNull()) {
        area = number(areaNode, ".area", SkipReason.BAD_FIELD);
        if (area < 0) {
          throw new EntryProblem(SkipReason.BAD_FIELD, ".area",
              "expected a non-negative number, found " + describe(areaNode));
        }
      }
      boolean crowd = crowd(n.get("iscrowd"));
      double[] keypoints = keypointValues(n.get("keypoints"));
      JsonNode numNode = n.get("num_keypoints");
      Integer numKeypoints = numNode == null || numNode.isNull()
          ? null : intValue(numNode, ".num_keypoints", SkipReason.BAD_KEYPOINTS);
      return new PendingInstance(index, id, imageId, categoryId, bbox, segmentation, area, crowd,
          keypoints, numKeypoints);
    }

    private void skip(int index, Long id, EntryProblem p) throws DatasetException {
      DatasetException e = fatal("annotations", index, instances ? "annotation id"
          : "caption id", id, p);
      if (!options.skipBadAnnotations()) {
        throw e;
      }
      skipped.merge(p.reason(), 1, Integer::sum);
      firstProblem.putIfAbsent(p.reason(), e.getMessage());
    }

    Result finish() throws DatasetException {
      List<CocoAnnotation> annotations = new ArrayList<>();
      List<CocoCaption> captions = new ArrayList<>();
      Map<Long, Integer> seenIds = new HashMap<>();
      for (PendingInstance a : pendingInstances) {
        try {
          checkDuplicate(seenIds, a.id(), a.index());
          annotations.add(resolve(a));
        } catch (EntryProblem p) {
          skip(a.index(), a.id(), p);
        }
      }
      for (PendingCaption c : pendingCaptions) {
        try {
          checkDuplicate(seenIds, c.id(), c.index());
          if (!imageIndex.containsKey(c.imageId())) {
            throw missingImage(c.imageId());
          }
          captions.add(new CocoCaption(c.id(), c.imageId(), c.caption()));
        } catch (EntryProblem p) {
          skip(c.index(), c.id(), p);
        }
      }
      ReadReport report = new ReadReport(skipped, firstProblem);
      if (!report.isClean()) {
        LOG.warn("{}: skipped {} of {} annotations ({}); first problem per reason: {}",
            file, report.totalSkipped(), annotationCount, report.summary(),
            String.join(" | ", report.firstProblem().values()));
      }
      return new Result(new CocoDataset(images, categories, annotations, captions), report);
    }

    private void checkDuplicate(Map<Long, Integer> seen, long id, int index) throws EntryProblem {
      Integer previous = seen.putIfAbsent(id, index);
      if (previous != null) {
        throw new EntryProblem(SkipReason.DUPLICATE_ID, ".id",
            "expected an id not used before, found id " + id + " again (first at annotations["
                + previous + "])");
      }
    }

    private EntryProblem missingImage(long imageId) {
      return new EntryProblem(SkipReason.MISSING_IMAGE, ".image_id",
          "expected the id of an entry in images, found " + imageId);
    }

    private CocoAnnotation resolve(PendingInstance a) throws EntryProblem {
      Integer imagePos = imageIndex.get(a.imageId());
      if (imagePos == null) {
        throw missingImage(a.imageId());
      }
      Integer categoryPos = categoryIndex.get(a.categoryId());
      if (categoryPos == null) {
        throw new EntryProblem(SkipReason.MISSING_CATEGORY, ".category_id",
            "expected the id of an entry in categories, found " + a.categoryId());
      }
      CocoImage image = images.get(imagePos);
      Category category = categories.get(categoryPos);
      if (a.segmentation() instanceof RleMask rle
          && (rle.height() != image.height() || rle.width() != image.width())) {
        throw new EntryProblem(SkipReason.BAD_SEGMENTATION, ".segmentation.size",
            "expected [" + image.height() + ", " + image.width() + "] ([height, width] of image "
                + image.id() + "), found [" + rle.height() + ", " + rle.width() + "]");
      }
      Keypoints keypoints = keypoints(a, category);
      double area = a.area() != null ? a.area() : computedArea(a);
      return new CocoAnnotation(a.id(), a.imageId(), a.categoryId(), a.bbox(), a.segmentation(),
          area, a.crowd(), keypoints);
    }

    private Keypoints keypoints(PendingInstance a, Category category) throws EntryProblem {
      double[] v = a.keypoints();
      if (v == null) {
        if (a.numKeypoints() != null && a.numKeypoints() != 0 && !options.numKeypointsAsGiven()) {
          throw new EntryProblem(SkipReason.BAD_KEYPOINTS, ".num_keypoints",
              "expected 0 for an annotation without keypoints, found " + a.numKeypoints());
        }
        return null;
      }
      KeypointSchema schema = category.keypoints();
      if (schema == null) {
        throw new EntryProblem(SkipReason.BAD_KEYPOINTS, ".keypoints",
            "expected no keypoints (category " + category.id() + " '" + category.name()
                + "' has no keypoint names), found " + v.length + " numbers");
      }
      if (v.length != 3 * schema.size()) {
        throw new EntryProblem(SkipReason.BAD_KEYPOINTS, ".keypoints",
            "expected " + 3 * schema.size() + " numbers (x, y, v for each of the "
                + schema.size() + " keypoints of category " + category.id() + " '"
                + category.name() + "'), found " + v.length);
      }
      List<Keypoint> points = new ArrayList<>(schema.size());
      for (int k = 0; k < schema.size(); k++) {
        Visibility vis = Visibility.ofCocoFlag((int) v[3 * k + 2]);
        points.add(new Keypoint(v[3 * k], v[3 * k + 1], vis, vis.isLabeled() ? 1 : 0));
      }
      Keypoints result = new Keypoints(points, 1);
      if (a.numKeypoints() != null && a.numKeypoints() != result.labeledCount()
          && !options.numKeypointsAsGiven()) {
        throw new EntryProblem(SkipReason.BAD_KEYPOINTS, ".num_keypoints",
            "expected " + result.labeledCount() + " (the keypoints with v > 0), found "
                + a.numKeypoints());
      }
      return result;
    }
  }

  private static double computedArea(PendingInstance a) {
    if (a.segmentation() instanceof RleMask rle) {
      return rle.area();
    }
    if (a.segmentation() instanceof PolygonMask pm && !pm.polygons().isEmpty()) {
      return pm.polygons().stream().mapToDouble(Polygon::area).sum();
    }
    return a.bbox().area();
  }
}
