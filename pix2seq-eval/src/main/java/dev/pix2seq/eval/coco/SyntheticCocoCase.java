package dev.pix2seq.eval.coco;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.pix2seq.api.value.RleMask;
import dev.pix2seq.api.mask.RleMasks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a large synthetic COCO evaluation case for benchmarks: ground truth with polygon masks
 * (crowd regions as uncompressed RLE) over many categories, a person-keypoints ground truth, and
 * box, mask (compressed RLE) and keypoint results with near misses, duplicates and false
 * positives. Deterministic for a seed.
 *
 * <pre>{@code
 * SyntheticCocoCase.CaseFiles f = SyntheticCocoCase.write(dir, SyntheticCocoCase.Options.large());
 * }</pre>
 */
public final class SyntheticCocoCase {
  private static final int KEYPOINTS = 17;
  private static final JsonFactory JSON = new JsonFactory();

  /**
   * What to generate.
   *
   * @param images number of images
   * @param gtPerImage mean ground-truth objects per image
   * @param detsPerImage mean detections per image
   * @param categories number of categories (category 1 is the person)
   * @param width image width
   * @param height image height
   * @param seed random seed
   */
  public record Options(int images, int gtPerImage, int detsPerImage, int categories, int width,
      int height, long seed) {

    public Options {
      if (images < 1 || gtPerImage < 1 || detsPerImage < 1 || categories < 1 || width < 16
          || height < 16) {
        throw new IllegalArgumentException("synthetic case sizes must be positive (images, "
            + "objects, detections, categories) and images at least 16x16");
      }
    }

    /** The benchmark case: 5,000 640x480 images, ~7 objects and ~100 detections each. */
    public static Options large() {
      return new Options(5000, 7, 100, 80, 640, 480, 2024);
    }
  }

  /**
   * The files written.
   *
   * @param groundTruth instances (boxes, polygons, crowd RLE)
   * @param keypointGroundTruth person keypoints (17 per person)
   * @param boxResults bbox results
   * @param maskResults segm results (compressed RLE, no bbox key)
   * @param keypointResults keypoint results
   */
  public record CaseFiles(Path groundTruth, Path keypointGroundTruth, Path boxResults,
      Path maskResults, Path keypointResults) {}

  private SyntheticCocoCase() {}

  /** Generates the case into {@code dir} (created if needed), replacing files there. */
  public static CaseFiles write(Path dir, Options o) throws IOException {
    Files.createDirectories(dir);
    CaseFiles f = new CaseFiles(dir.resolve("gt.json"), dir.resolve("gt_keypoints.json"),
        dir.resolve("results_bbox.json"), dir.resolve("results_segm.json"),
        dir.resolve("results_keypoints.json"));
    List<List<Instance>> scene = new ArrayList<>(o.images());
    List<List<Instance>> people = new ArrayList<>(o.images());
    SplittableRandom rng = new SplittableRandom(o.seed());
    for (int i = 0; i < o.images(); i++) {
      scene.add(objects(rng, o, false));
      people.add(objects(rng, o, true));
    }
    writeGroundTruth(f.groundTruth(), o, scene, false);
    writeGroundTruth(f.keypointGroundTruth(), o, people, true);
    writeResults(f.boxResults(), o, scene, Kind.BOX, new SplittableRandom(o.seed() + 1));
    writeResults(f.maskResults(), o, scene, Kind.MASK, new SplittableRandom(o.seed() + 2));
    writeResults(f.keypointResults(), o, people, Kind.KEYPOINTS,
        new SplittableRandom(o.seed() + 3));
    return f;
  }

  private enum Kind { BOX, MASK, KEYPOINTS }

  /** One generated object: category, polygon, crowd flag and (for people) keypoints. */
  private record Instance(int category, double[] polygon, boolean crowd, double[] keypoints) {}

  private static List<Instance> objects(SplittableRandom rng, Options o, boolean persons) {
    int n = Math.max(0, (int) Math.round(o.gtPerImage() + (rng.nextDouble() * 2 - 1) * 4));
    List<Instance> out = new ArrayList<>(n);
    for (int j = 0; j < n; j++) {
      int category = persons ? 1 : 1 + rng.nextInt(o.categories());
      double[] poly = polygon(rng, o, 0.05 + 0.5 * Math.pow(rng.nextDouble(), 2));
      boolean crowd = rng.nextDouble() < 0.02;
      double[] kps = persons ? keypoints(rng, poly, crowd || rng.nextDouble() < 0.05) : null;
      out.add(new Instance(category, poly, crowd, kps));
    }
    return out;
  }

  /** A star-shaped polygon of 8-16 vertices, its size a fraction of the image. */
  private static double[] polygon(SplittableRandom rng, Options o, double size) {
    double w = Math.max(4, size * o.width() * (0.5 + rng.nextDouble()));
    double h = Math.max(4, size * o.height() * (0.5 + rng.nextDouble()));
    double cx = w / 2 + rng.nextDouble() * (o.width() - w);
    double cy = h / 2 + rng.nextDouble() * (o.height() - h);
    int k = 8 + rng.nextInt(9);
    double[] xy = new double[2 * k];
    for (int v = 0; v < k; v++) {
      double angle = 2 * Math.PI * (v + 0.3 * rng.nextDouble()) / k;
      double r = 0.6 + 0.4 * rng.nextDouble();
      xy[2 * v] = round2(clamp(cx + Math.cos(angle) * r * w / 2, 0, o.width()));
      xy[2 * v + 1] = round2(clamp(cy + Math.sin(angle) * r * h / 2, 0, o.height()));
    }
    return xy;
  }

  private static double[] keypoints(SplittableRandom rng, double[] poly, boolean none) {
    double[] b = bounds(poly);
    double[] kps = new double[3 * KEYPOINTS];
    for (int q = 0; q < KEYPOINTS; q++) {
      double u = rng.nextDouble();
      if (none || u < 0.2) {
        continue;
      }
      kps[3 * q] = Math.round(b[0] + b[2] * (0.2 + 0.6 * rng.nextDouble()));
      kps[3 * q + 1] = Math.round(b[1] + b[3] * (q + 0.5) / KEYPOINTS);
      kps[3 * q + 2] = u < 0.35 ? 1 : 2;
    }
    return kps;
  }

  private static void writeGroundTruth(Path file, Options o, List<List<Instance>> scene,
      boolean persons) throws IOException {
    try (JsonGenerator g = JSON.createGenerator(file.toFile(), JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeArrayFieldStart("images");
      for (int i = 0; i < scene.size(); i++) {
        g.writeStartObject();
        g.writeNumberField("id", imageId(i));
        g.writeStringField("file_name", imageId(i) + ".jpg");
        g.writeNumberField("width", o.width());
        g.writeNumberField("height", o.height());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("categories");
      for (int c = 1; c <= (persons ? 1 : o.categories()); c++) {
        g.writeStartObject();
        g.writeNumberField("id", c);
        g.writeStringField("name", c == 1 ? "person" : "category" + c);
        g.writeStringField("supercategory", c == 1 ? "person" : "thing");
        if (persons) {
          g.writeArrayFieldStart("keypoints");
          for (int q = 0; q < KEYPOINTS; q++) {
            g.writeString("kp" + q);
          }
          g.writeEndArray();
          g.writeArrayFieldStart("skeleton");
          g.writeEndArray();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("annotations");
      long id = 1;
      for (int i = 0; i < scene.size(); i++) {
        for (Instance in : scene.get(i)) {
          double[] b = bounds(in.polygon());
          g.writeStartObject();
          g.writeNumberField("id", id++);
          g.writeNumberField("image_id", imageId(i));
          g.writeNumberField("category_id", in.category());
          g.writeNumberField("iscrowd", in.crowd() ? 1 : 0);
          g.writeFieldName("bbox");
          g.writeArray(b, 0, 4);
          g.writeFieldName("segmentation");
          if (in.crowd()) {
            RleMask rle = RleMasks.fromPolygons(List.of(in.polygon()), o.height(), o.width());
            g.writeStartObject();
            g.writeFieldName("size");
            g.writeArray(new int[] {o.height(), o.width()}, 0, 2);
            g.writeFieldName("counts");
            g.writeArray(rle.counts(), 0, rle.counts().length);
            g.writeEndObject();
            g.writeNumberField("area", (double) rle.area());
          } else {
            g.writeStartArray();
            g.writeArray(in.polygon(), 0, in.polygon().length);
            g.writeEndArray();
            g.writeNumberField("area", shoelace(in.polygon()));
          }
          if (persons) {
            g.writeFieldName("keypoints");
            g.writeStartArray();
            int labeled = 0;
            for (int q = 0; q < KEYPOINTS; q++) {
              g.writeNumber((int) in.keypoints()[3 * q]);
              g.writeNumber((int) in.keypoints()[3 * q + 1]);
              g.writeNumber((int) in.keypoints()[3 * q + 2]);
              labeled += in.keypoints()[3 * q + 2] > 0 ? 1 : 0;
            }
            g.writeEndArray();
            g.writeNumberField("num_keypoints", labeled);
          }
          g.writeEndObject();
        }
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  private static void writeResults(Path file, Options o, List<List<Instance>> scene, Kind kind,
      SplittableRandom rng) throws IOException {
    try (JsonGenerator g = JSON.createGenerator(file.toFile(), JsonEncoding.UTF8)) {
      g.writeStartArray();
      for (int i = 0; i < scene.size(); i++) {
        List<Instance> objects = scene.get(i);
        int n = Math.max(1, (int) Math.round(o.detsPerImage() * (0.5 + rng.nextDouble())));
        for (int d = 0; d < n; d++) {
          double[] poly;
          int category;
          double score;
          double[] kps = null;
          if (!objects.isEmpty() && d < 3 * objects.size()) {
            Instance target = objects.get(d % objects.size());
            poly = jitter(rng, o, target.polygon(), 0.02 + 0.15 * rng.nextDouble());
            category = kind == Kind.KEYPOINTS || rng.nextDouble() < 0.9 ? target.category()
                : 1 + rng.nextInt(o.categories());
            score = 0.3 + 0.7 * rng.nextDouble();
            if (kind == Kind.KEYPOINTS) {
              kps = jitterKeypoints(rng, target, poly, 2 + 10 * rng.nextDouble());
            }
          } else {
            poly = polygon(rng, o, 0.02 + 0.3 * Math.pow(rng.nextDouble(), 2));
            category = kind == Kind.KEYPOINTS ? 1 : 1 + rng.nextInt(o.categories());
            score = 0.6 * rng.nextDouble();
            if (kind == Kind.KEYPOINTS) {
              kps = randomKeypoints(rng, poly);
            }
          }
          g.writeStartObject();
          g.writeNumberField("image_id", imageId(i));
          g.writeNumberField("category_id", category);
          switch (kind) {
            case BOX -> {
              double[] b = bounds(poly);
              g.writeFieldName("bbox");
              g.writeArray(b, 0, 4);
            }
            case MASK -> {
              RleMask rle = RleMasks.fromPolygons(List.of(poly), o.height(), o.width());
              g.writeObjectFieldStart("segmentation");
              g.writeFieldName("size");
              g.writeArray(new int[] {o.height(), o.width()}, 0, 2);
              g.writeStringField("counts", rle.toCompressed());
              g.writeEndObject();
            }
            case KEYPOINTS -> {
              g.writeFieldName("keypoints");
              g.writeArray(kps, 0, kps.length);
            }
            default -> throw new IllegalStateException();
          }
          g.writeNumberField("score", Math.round(score * 1000) / 1000.0);
          g.writeEndObject();
        }
      }
      g.writeEndArray();
    }
  }

  private static double[] jitter(SplittableRandom rng, Options o, double[] poly, double amount) {
    double[] b = bounds(poly);
    double dx = (rng.nextDouble() * 2 - 1) * amount * b[2];
    double dy = (rng.nextDouble() * 2 - 1) * amount * b[3];
    double s = 1 + (rng.nextDouble() * 2 - 1) * amount;
    double cx = b[0] + b[2] / 2;
    double cy = b[1] + b[3] / 2;
    double[] out = new double[poly.length];
    for (int v = 0; v < poly.length; v += 2) {
      out[v] = round2(clamp(cx + (poly[v] - cx) * s + dx, 0, o.width()));
      out[v + 1] = round2(clamp(cy + (poly[v + 1] - cy) * s + dy, 0, o.height()));
    }
    return out;
  }

  private static double[] jitterKeypoints(SplittableRandom rng, Instance target, double[] poly,
      double sd) {
    double[] b = bounds(poly);
    double[] kps = new double[3 * KEYPOINTS];
    for (int q = 0; q < KEYPOINTS; q++) {
      double x = target.keypoints()[3 * q];
      double y = target.keypoints()[3 * q + 1];
      if (target.keypoints()[3 * q + 2] == 0) {
        x = b[0] + b[2] * rng.nextDouble();
        y = b[1] + b[3] * rng.nextDouble();
      }
      kps[3 * q] = round2(x + gaussian(rng) * sd);
      kps[3 * q + 1] = round2(y + gaussian(rng) * sd);
      kps[3 * q + 2] = 1;
    }
    return kps;
  }

  private static double[] randomKeypoints(SplittableRandom rng, double[] poly) {
    double[] b = bounds(poly);
    double[] kps = new double[3 * KEYPOINTS];
    for (int q = 0; q < KEYPOINTS; q++) {
      kps[3 * q] = round2(b[0] + b[2] * rng.nextDouble());
      kps[3 * q + 1] = round2(b[1] + b[3] * rng.nextDouble());
      kps[3 * q + 2] = 1;
    }
    return kps;
  }

  private static double gaussian(SplittableRandom rng) {
    double u = Math.max(1e-12, rng.nextDouble());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
  }

  /** {@code [x, y, w, h]} of a polygon's vertices. */
  private static double[] bounds(double[] xy) {
    double x0 = Double.POSITIVE_INFINITY;
    double y0 = Double.POSITIVE_INFINITY;
    double x1 = Double.NEGATIVE_INFINITY;
    double y1 = Double.NEGATIVE_INFINITY;
    for (int v = 0; v < xy.length; v += 2) {
      x0 = Math.min(x0, xy[v]);
      x1 = Math.max(x1, xy[v]);
      y0 = Math.min(y0, xy[v + 1]);
      y1 = Math.max(y1, xy[v + 1]);
    }
    return new double[] {x0, y0, round2(x1 - x0), round2(y1 - y0)};
  }

  private static double shoelace(double[] xy) {
    double twice = 0;
    int n = xy.length / 2;
    for (int v = 0; v < n; v++) {
      int w = (v + 1) % n;
      twice += xy[2 * v] * xy[2 * w + 1] - xy[2 * w] * xy[2 * v + 1];
    }
    return round2(Math.abs(twice) / 2);
  }

  private static long imageId(int index) {
    return 1000L + 3L * index;
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
