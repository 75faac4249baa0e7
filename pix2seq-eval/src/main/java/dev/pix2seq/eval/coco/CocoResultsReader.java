package dev.pix2seq.eval.coco;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pix2seq.api.DatasetException;
import dev.pix2seq.api.value.InstanceMask;
import dev.pix2seq.api.value.Polygon;
import dev.pix2seq.api.value.PolygonMask;
import dev.pix2seq.api.value.RleMask;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Reads a COCO results file (a JSON array of detections) and prepares it as pycocotools'
 * {@code COCO.loadRes} does (see {@link CocoResults}).
 *
 * <pre>{@code
 * CocoResults results = CocoResultsReader.read(Path.of("segm_results.json"), gt);
 * }</pre>
 *
 * <p>Each entry is an object with {@code image_id}, {@code category_id}, {@code score} and any
 * of {@code bbox} ({@code [x, y, w, h]}; an empty array counts as absent), {@code
 * segmentation} (compressed or uncompressed RLE {@code {"size": [h, w], "counts": ...}}, or
 * polygons) and {@code keypoints} ({@code [x1, y1, v1, ...]}); other fields are ignored.
 *
 * <p><b>Errors.</b> A {@link DatasetException} names the file, the entry and the field, what was
 * expected and what was found, for example {@code det.json: results[7].score: expected a finite
 * number, found NaN}: a result whose image the ground truth lacks (its category too, when
 * strict; otherwise such a result is kept and never evaluated, as pycocotools does), a missing or
 * non-finite score ({@code NaN} and {@code Infinity}, as Python writes them, are read so that
 * they can be reported), malformed RLE, a box of other than 4 numbers, keypoints of the wrong
 * length. Stateless and thread safe.
 */
public final class CocoResultsReader {
  private static final ObjectMapper MAPPER =
      new ObjectMapper(
          JsonFactory.builder()
              .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
              .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
              .build());

  private CocoResultsReader() {}

  /**
   * Reads and prepares a results file against its ground truth.
   *
   * @throws DatasetException if the file is missing, not a JSON array, or an entry is bad
   */
  public static CocoResults read(Path file, CocoGroundTruth gt) throws DatasetException {
    return read(file, gt, false);
  }

  /**
   * {@link #read(Path, CocoGroundTruth)}; {@code strict} also refuses results whose category
   * the ground truth lacks (which pycocotools keeps and never evaluates).
   *
   * @throws DatasetException if the file is missing, not a JSON array, or an entry is bad
   */
  public static CocoResults read(Path file, CocoGroundTruth gt, boolean strict)
      throws DatasetException {
    List<CocoDetection> detections = readDetections(file);
    try {
      return CocoResults.load(gt, detections, file.toString(), strict);
    } catch (CocoResults.EntryProblem e) {
      throw new DatasetException(file + ": " + e.message("results"), e);
    }
  }

  /**
   * Reads the entries of a results file without checking them against a ground truth. Files
   * that fit in memory are split into entries and parsed on all processors; the entries and
   * any error are the same as a one-pass read gives.
   *
   * @throws DatasetException if the file is missing, not a JSON array, or an entry is bad
   */
  public static List<CocoDetection> readDetections(Path file) throws DatasetException {
    try {
      if (Files.size(file) <= MAX_SPLIT_BYTES) {
        byte[] bytes = Files.readAllBytes(file);
        int[] bounds = EntrySplitter.split(bytes);
        if (bounds != null) {
          List<CocoDetection> entries = parseSplit(file, bytes, bounds);
          if (entries != null) {
            return entries;
          }
        }
      }
    } catch (NoSuchFileException e) {
      throw new DatasetException(file + ": file not found", e);
    } catch (IOException e) {
      throw new DatasetException(file + ": cannot read: " + e.getMessage(), e);
    }
    return readStreaming(file);
  }

  /** Largest file read whole and parsed in parallel; larger ones are streamed. */
  private static final long MAX_SPLIT_BYTES = 1L << 30;
  private static final int ENTRIES_PER_TASK = 2048;

  /**
   * Parses entries found by the splitter in parallel, a run of entries per task; null when an
   * entry is not valid JSON (the streaming read then reports where). Each run is read as an
   * array by turning the comma before its first entry into {@code [}; a task stops after its
   * last entry, so it never reads the next run's bytes.
   */
  private static List<CocoDetection> parseSplit(Path file, byte[] bytes, int[] bounds)
      throws DatasetException {
    int n = bounds.length / 2;
    CocoDetection[] out = new CocoDetection[n];
    int tasks = (n + ENTRIES_PER_TASK - 1) / ENTRIES_PER_TASK;
    int[] opening = new int[tasks];
    for (int task = 0; task < tasks; task++) {
      int k = bounds[2 * task * ENTRIES_PER_TASK] - 1;
      while (bytes[k] != ',' && bytes[k] != '[') {
        k--;
      }
      bytes[k] = '[';
      opening[task] = k;
    }
    CocoResults.EntryProblem[] problems = new CocoResults.EntryProblem[tasks];
    boolean[] syntax = new boolean[tasks];
    IntStream.range(0, tasks).parallel().forEach(task -> {
      int first = task * ENTRIES_PER_TASK;
      int last = Math.min(n, first + ENTRIES_PER_TASK) - 1;
      Scratch scratch = new Scratch();
      try (JsonParser p = MAPPER.createParser(bytes, opening[task],
          bounds[2 * last + 1] - opening[task])) {
        p.nextToken();
        for (int i = first; i <= last; i++) {
          p.nextToken();
          out[i] = entry(p, i, scratch);
        }
      } catch (CocoResults.EntryProblem e) {
        problems[task] = e;
      } catch (IOException e) {
        syntax[task] = true;
      }
    });
    for (int task = 0; task < tasks; task++) {
      if (syntax[task]) {
        return null;
      }
      if (problems[task] != null) {
        throw new DatasetException(file + ": " + problems[task].message("results"),
            problems[task]);
      }
    }
    return Arrays.asList(out);
  }

  private static List<CocoDetection> readStreaming(Path file) throws DatasetException {
    List<CocoDetection> out = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file);
        JsonParser p = MAPPER.createParser(in)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_ARRAY) {
        throw new DatasetException(file + ": (top level): expected a JSON array of results, found "
            + (first == null ? "an empty file" : describe(p)));
      }
      int index = 0;
      Scratch scratch = new Scratch();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        try {
          out.add(entry(p, index, scratch));
        } catch (CocoResults.EntryProblem e) {
          throw new DatasetException(file + ": " + e.message("results"), e);
        }
        index++;
      }
      if (p.nextToken() != null) {
        throw new DatasetException(file + ": (top level): expected the end of the file after "
            + "the results array, found more content at line " + p.currentLocation().getLineNr());
      }
    } catch (NoSuchFileException e) {
      throw new DatasetException(file + ": file not found", e);
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      String at = loc == null ? "" : " at line " + loc.getLineNr() + ", column "
          + loc.getColumnNr();
      throw new DatasetException(file + ": not valid JSON: " + e.getOriginalMessage() + at, e);
    } catch (IOException e) {
      throw new DatasetException(file + ": cannot read: " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * Finds where each element of a top-level JSON array starts and ends, without parsing it:
   * brackets are counted outside strings. Anything unusual (no array, text after it, an
   * unterminated string) gives null, and the streaming read takes over and reports it.
   */
  static final class EntrySplitter {
    private EntrySplitter() {}

    /** {@code [start0, end0, start1, end1, ...]} (end exclusive), or null. */
    static int[] split(byte[] b) {
      int n = b.length;
      int i = skipSpace(b, 0);
      if (i >= n || b[i] != '[') {
        return null;
      }
      i = skipSpace(b, i + 1);
      int[] bounds = new int[1024];
      int count = 0;
      if (i < n && b[i] == ']') {
        return skipSpace(b, i + 1) == n ? new int[0] : null;
      }
      while (true) {
        int start = i;
        int end = valueEnd(b, i);
        if (end < 0) {
          return null;
        }
        if (count + 2 > bounds.length) {
          bounds = Arrays.copyOf(bounds, bounds.length * 2);
        }
        bounds[count++] = start;
        bounds[count++] = end;
        i = skipSpace(b, end);
        if (i >= n) {
          return null;
        }
        if (b[i] == ',') {
          i = skipSpace(b, i + 1);
        } else if (b[i] == ']') {
          return skipSpace(b, i + 1) == n ? Arrays.copyOf(bounds, count) : null;
        } else {
          return null;
        }
      }
    }

    /** The end (exclusive) of the value starting at i, or -1. */
    private static int valueEnd(byte[] b, int i) {
      int n = b.length;
      if (i >= n) {
        return -1;
      }
      if (b[i] == '"') {
        return stringEnd(b, i);
      }
      if (b[i] != '{' && b[i] != '[') {
        while (i < n && b[i] != ',' && b[i] != ']' && !isSpace(b[i])) {
          if (b[i] == '"' || b[i] == '{' || b[i] == '[') {
            return -1;
          }
          i++;
        }
        return i;
      }
      int depth = 0;
      while (i < n) {
        byte c = b[i];
        if (c == '"') {
          i = stringEnd(b, i);
          if (i < 0) {
            return -1;
          }
          continue;
        } else if (c == '{' || c == '[') {
          depth++;
        } else if (c == '}' || c == ']') {
          depth--;
          if (depth == 0) {
            return i + 1;
          }
        }
        i++;
      }
      return -1;
    }

    /** The end (exclusive) of the string starting at i, or -1 when it does not end. */
    private static int stringEnd(byte[] b, int i) {
      i++;
      while (i < b.length && b[i] != '"') {
        i += b[i] == '\\' ? 2 : 1;
      }
      return i < b.length ? i + 1 : -1;
    }

    private static int skipSpace(byte[] b, int i) {
      while (i < b.length && isSpace(b[i])) {
        i++;
      }
      return i;
    }

    private static boolean isSpace(byte c) {
      return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }
  }

  /** Reads one entry, the parser on its first token; leaves it on the entry's last token. */
  private static CocoDetection entry(JsonParser p, int i, Scratch scratch)
      throws IOException, CocoResults.EntryProblem {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new CocoResults.EntryProblem(i, "", "expected an object, found " + describe(p));
    }
    Long imageId = null;
    Long categoryId = null;
    Double score = null;
    String missingScore = "nothing (no such field)";
    double[] bbox = null;
    Object segmentation = null;
    double[] keypoints = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "image_id" -> imageId = integer(p, i, ".image_id");
        case "category_id" -> categoryId = integer(p, i, ".category_id");
        case "score" -> score = number(p, i, ".score");
        case "bbox" -> {
          bbox = t == JsonToken.VALUE_NULL ? null : numbers(p, i, ".bbox", scratch);
          if (bbox != null && bbox.length == 0) {
            bbox = null;
          } else if (bbox != null && CocoDetection.boxProblem(bbox) != null) {
            throw new CocoResults.EntryProblem(i, ".bbox", "expected [x, y, width, height] "
                + "with width, height >= 0, found " + Arrays.toString(bbox));
          }
        }
        case "segmentation" -> segmentation = segmentation(p, i, scratch);
        case "keypoints" -> {
          keypoints = t == JsonToken.VALUE_NULL ? null : numbers(p, i, ".keypoints", scratch);
          if (keypoints != null && CocoDetection.keypointsProblem(keypoints) != null) {
            throw new CocoResults.EntryProblem(i, ".keypoints", "expected x, y, v triples, "
                + "found " + keypoints.length + " numbers");
          }
        }
        default -> p.skipChildren();
      }
    }
    if (imageId == null) {
      throw new CocoResults.EntryProblem(i, ".image_id",
          "expected an integer id, found nothing (no such field)");
    }
    if (categoryId == null) {
      throw new CocoResults.EntryProblem(i, ".category_id",
          "expected an integer id, found nothing (no such field)");
    }
    if (categoryId != (int) (long) categoryId) {
      throw new CocoResults.EntryProblem(i, ".category_id",
          "expected an int category id, found " + categoryId);
    }
    if (score == null) {
      throw new CocoResults.EntryProblem(i, ".score", "expected a finite number, found "
          + missingScore);
    }
    return CocoDetection.owning(imageId, (int) (long) categoryId, score, bbox,
        segmentation instanceof InstanceMask m ? m : null,
        segmentation instanceof CompressedMask c ? c : null, keypoints);
  }

  private static long integer(JsonParser p, int i, String field)
      throws IOException, CocoResults.EntryProblem {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      return p.getLongValue();
    }
    if (t == JsonToken.VALUE_NUMBER_FLOAT) {
      double v = p.getDoubleValue();
      if (v == Math.rint(v) && Math.abs(v) < 9007199254740992.0) {
        return (long) v;
      }
    }
    throw new CocoResults.EntryProblem(i, field, "expected an integer id, found " + describe(p));
  }

  private static double number(JsonParser p, int i, String field)
      throws IOException, CocoResults.EntryProblem {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      double v = p.getDoubleValue();
      if (Double.isFinite(v)) {
        return v;
      }
    }
    throw new CocoResults.EntryProblem(i, field, "expected a finite number, found "
        + describe(p));
  }

  private static double[] numbers(JsonParser p, int i, String field, Scratch scratch)
      throws IOException, CocoResults.EntryProblem {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new CocoResults.EntryProblem(i, field, "expected an array of numbers, found "
          + describe(p));
    }
    double[] v = scratch.values;
    int n = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (n == v.length) {
        v = Arrays.copyOf(v, 2 * n);
      }
      JsonToken t = p.currentToken();
      double x = t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT
          ? p.getDoubleValue() : Double.NaN;
      if (!Double.isFinite(x)) {
        throw new CocoResults.EntryProblem(i, field + "[" + n + "]",
            "expected a finite number, found " + describe(p));
      }
      v[n++] = x;
    }
    scratch.values = v;
    return Arrays.copyOf(v, n);
  }

  /** An {@link InstanceMask}, a {@link CompressedMask}, or null. */
  private static Object segmentation(JsonParser p, int i, Scratch scratch)
      throws IOException, CocoResults.EntryProblem {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t == JsonToken.START_OBJECT) {
      return rle(p, i);
    }
    if (t == JsonToken.START_ARRAY) {
      List<Polygon> parts = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        String field = ".segmentation[" + parts.size() + "]";
        double[] xy = numbers(p, i, field, scratch);
        if (xy.length % 2 != 0 || xy.length < 2 * Polygon.MIN_POINTS) {
          throw new CocoResults.EntryProblem(i, field, "expected a polygon of at least "
              + Polygon.MIN_POINTS + " x, y points, found " + xy.length + " numbers");
        }
        parts.add(Polygon.ofXy(xy));
      }
      if (!parts.isEmpty()) {
        return new PolygonMask(parts);
      }
      throw new CocoResults.EntryProblem(i, ".segmentation", "expected an RLE object or a "
          + "non-empty array of polygons, found an empty array");
    }
    throw new CocoResults.EntryProblem(i, ".segmentation", "expected an RLE object {\"size\": "
        + "[h, w], \"counts\": ...} or a non-empty array of polygons, found " + describe(p));
  }

  /** An RLE object: a {@link CompressedMask} or, for counts given as numbers, an RleMask. */
  private static Object rle(JsonParser p, int i) throws IOException, CocoResults.EntryProblem {
    int[] size = null;
    String compressed = null;
    int[] runs = null;
    boolean sawCounts = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      if ("size".equals(field)) {
        size = ints(p, i, ".segmentation.size");
        if (size.length != 2) {
          throw new CocoResults.EntryProblem(i, ".segmentation.size",
              "expected [height, width], found " + size.length + " numbers");
        }
      } else if ("counts".equals(field)) {
        sawCounts = true;
        if (t == JsonToken.VALUE_STRING) {
          compressed = p.getText();
        } else if (t == JsonToken.START_ARRAY) {
          runs = ints(p, i, ".segmentation.counts");
        } else {
          throw new CocoResults.EntryProblem(i, ".segmentation.counts", "expected a compressed "
              + "RLE string or an array of run lengths, found " + describe(p));
        }
      } else {
        p.skipChildren();
      }
    }
    if (size == null) {
      throw new CocoResults.EntryProblem(i, ".segmentation.size",
          "expected [height, width], found nothing (no such field)");
    }
    if (!sawCounts) {
      throw new CocoResults.EntryProblem(i, ".segmentation.counts",
          "expected a compressed RLE string or an array of run lengths, found nothing "
              + "(no such field)");
    }
    try {
      return compressed != null ? CompressedMask.of(compressed, size[0], size[1])
          : new RleMask(size[0], size[1], runs);
    } catch (IllegalArgumentException e) {
      throw new CocoResults.EntryProblem(i, ".segmentation.counts",
          "expected an RLE of size [" + size[0] + ", " + size[1] + "]: " + e.getMessage());
    }
  }

  /** An array of non-negative ints. */
  private static int[] ints(JsonParser p, int i, String field)
      throws IOException, CocoResults.EntryProblem {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new CocoResults.EntryProblem(i, field, "expected an array of non-negative "
          + "integers, found " + describe(p));
    }
    int[] v = new int[16];
    int n = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() != JsonToken.VALUE_NUMBER_INT
          || p.getNumberType() != JsonParser.NumberType.INT || p.getIntValue() < 0) {
        throw new CocoResults.EntryProblem(i, field + "[" + n + "]",
            "expected a non-negative integer, found " + describe(p));
      }
      if (n == v.length) {
        v = Arrays.copyOf(v, 2 * n);
      }
      v[n++] = p.getIntValue();
    }
    return Arrays.copyOf(v, n);
  }

  /** A growable number buffer reused across the entries one thread reads. */
  private static final class Scratch {
    double[] values = new double[64];
  }

  /** The value at the parser's current token, described for a message (reads it). */
  private static String describe(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
      return p.getText();
    }
    return describe((JsonNode) p.readValueAsTree());
  }

  private static String describe(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "nothing (no such field)";
    }
    if (n.isNull()) {
      return "null";
    }
    if (n.isTextual()) {
      String s = n.textValue();
      return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
    }
    if (n.isNumber()) {
      return n.asText();
    }
    String s = n.toString();
    String kind = n.isArray() ? "an array " : n.isObject() ? "an object " : "";
    return kind + (s.length() > 60 ? s.substring(0, 60) + "..." : s);
  }
}
