package dev.pix2seq.data.synth;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.Keypoint;
import dev.pix2seq.api.value.KeypointSchema;
import dev.pix2seq.api.value.Keypoints;
import dev.pix2seq.api.value.Polygon;
import dev.pix2seq.api.value.Visibility;
import dev.pix2seq.data.augment.AreaPolygons;
import java.awt.geom.Area;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates synthetic scenes: coloured circles, squares, triangles and crosses and black stick
 * figures (category "person", 14 named keypoints) on a light background, with exact annotations.
 *
 * <p>Every object is a polygonal {@link Area} (circles are regular polygons). The image is drawn
 * without antialiasing by filling those areas in order with an exact centre-sampling rule, so a
 * pixel takes an object's colour exactly when its centre lies in that object's area and in no
 * later one. The annotation of an
 * object is its <em>visible</em> area, its area minus the areas of the objects drawn after it,
 * clipped to the image: its polygons (hole-free, possibly several parts), the bounds of those
 * polygons as box, and their shoelace area. Objects left with no visible area are not annotated.
 * Keypoints outside the image are unlabeled (v = 0, coordinates 0, 0); keypoints inside an object
 * drawn later are occluded (v = 1); the rest are visible (v = 2).
 *
 * <p>Scene {@code i} depends only on the options (seed included) and {@code i}, so scenes can be
 * made in any order or in parallel. Immutable and thread-safe.
 *
 * <pre>{@code
 * SyntheticSceneGenerator gen = new SyntheticSceneGenerator(SceneOptions.defaults().withSeed(1));
 * SyntheticScene scene = gen.generate(42);
 * }</pre>
 */
public final class SyntheticSceneGenerator {

  /**
   * The figures' keypoints. "left" is the figure's own left, which faces the viewer, so left
   * keypoints lie to the right of right keypoints in an unflipped image.
   */
  public static final KeypointSchema PERSON_KEYPOINTS = new KeypointSchema(
      List.of("head", "neck", "left_shoulder", "right_shoulder", "left_elbow", "right_elbow",
          "left_hand", "right_hand", "left_hip", "right_hip", "left_knee", "right_knee",
          "left_foot", "right_foot"),
      List.of(edge(0, 1), edge(1, 2), edge(1, 3), edge(2, 4), edge(4, 6), edge(3, 5), edge(5, 7),
          edge(2, 8), edge(3, 9), edge(8, 9), edge(8, 10), edge(10, 12), edge(9, 11),
          edge(11, 13)));

  private static final int PLACEMENT_TRIES = 10;
  /** Least fraction of a figure's or a shape's area that must fall inside the image. */
  private static final double MIN_PERSON_IN_FRAME = 0.35;
  private static final double MIN_SHAPE_IN_FRAME = 0.25;
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private final SceneOptions options;
  private final List<Category> categories;

  public SyntheticSceneGenerator(SceneOptions options) {
    if (options == null) {
      throw new IllegalArgumentException("options must not be null");
    }
    this.options = options;
    List<Category> cats = new ArrayList<>();
    for (SceneObjectKind k : SceneObjectKind.values()) {
      cats.add(new Category(k.categoryId(), k.singular(), k.supercategory(),
          k == SceneObjectKind.PERSON ? PERSON_KEYPOINTS : null));
    }
    this.categories = List.copyOf(cats);
  }

  private static KeypointSchema.Edge edge(int a, int b) {
    return new KeypointSchema.Edge(a, b);
  }

  public SceneOptions options() {
    return options;
  }

  /** The dataset categories: person (with {@link #PERSON_KEYPOINTS}) and the four shapes. */
  public List<Category> categories() {
    return categories;
  }

  /** Scene number {@code index} of this generator's dataset. */
  public SyntheticScene generate(long index) {
    SplittableRandom random = new SplittableRandom(mix(mix(options.seed()) + index * GOLDEN));
    int w = options.width();
    int h = options.height();
    Area frame = new Area(new Rectangle2D.Double(0, 0, w, h));
    List<Placed> placed = new ArrayList<>();
    int count = random.nextInt(options.minObjects(), options.maxObjects() + 1);
    for (int n = 0; n < count; n++) {
      boolean person = random.nextDouble() < options.personProbability();
      SceneObjectKind kind = person ? SceneObjectKind.PERSON
          : SceneObjectKind.SHAPES.get(random.nextInt(SceneObjectKind.SHAPES.size()));
      SceneColor color = person ? SceneColor.BLACK
          : SceneColor.SHAPE_COLORS.get(random.nextInt(SceneColor.SHAPE_COLORS.size()));
      for (int attempt = 0; attempt < PLACEMENT_TRIES; attempt++) {
        if (tryPlace(kind, color, random, frame, placed)) {
          break;
        }
      }
    }
    BufferedImage image = render(placed, random);
    List<SceneInstance> instances = new ArrayList<>();
    for (int i = 0; i < placed.size(); i++) {
      Placed p = placed.get(i);
      List<Polygon> polygons = AreaPolygons.clamp(AreaPolygons.toPolygons(p.visible), 0, 0, w, h);
      if (polygons.isEmpty()) {
        continue;
      }
      BoundingBox box = AreaPolygons.bounds(polygons);
      Keypoints keypoints = p.keypoints == null ? null : keypoints(p.keypoints, placed, i);
      instances.add(new SceneInstance(p.kind, p.color, box, polygons,
          AreaPolygons.totalArea(polygons), keypoints));
    }
    List<String> captions = SceneCaptioner.describe(instances, random);
    return new SyntheticScene(index, image, instances, captions);
  }

  /** One object on the canvas, with the part of it still visible. */
  private static final class Placed {
    final SceneObjectKind kind;
    final SceneColor color;
    final Area full;
    final double inFrameArea;
    final double[][] keypoints;
    Area visible;

    Placed(SceneObjectKind kind, SceneColor color, Area full, Area visible, double inFrameArea,
        double[][] keypoints) {
      this.kind = kind;
      this.color = color;
      this.full = full;
      this.visible = visible;
      this.inFrameArea = inFrameArea;
      this.keypoints = keypoints;
    }
  }

  private boolean tryPlace(SceneObjectKind kind, SceneColor color, SplittableRandom random,
      Area frame, List<Placed> placed) {
    int w = options.width();
    int h = options.height();
    double side = Math.min(w, h);
    double size = side * random.nextDouble(options.minObjectScale(),
        Math.nextUp(options.maxObjectScale()));
    Area shape;
    double[][] keypoints = null;
    if (kind == SceneObjectKind.PERSON) {
      double height = size * SceneOptions.PERSON_HEIGHT_RATIO;
      double cx = random.nextDouble(0, w);
      double highest = -0.25 * height;
      double top = random.nextDouble(highest, Math.max(highest + 1, h - 0.6 * height));
      keypoints = new double[PERSON_KEYPOINTS.size()][];
      shape = StickFigure.build(cx, top, height, random, keypoints);
    } else {
      double cx = random.nextDouble(0.1 * w, 0.9 * w);
      double cy = random.nextDouble(0.1 * h, 0.9 * h);
      shape = shape(kind, cx, cy, size, random);
    }
    double fullArea = AreaPolygons.area(shape);
    Area inFrame = new Area(shape);
    inFrame.intersect(frame);
    double inFrameArea = AreaPolygons.area(inFrame);
    double needed = kind == SceneObjectKind.PERSON ? MIN_PERSON_IN_FRAME : MIN_SHAPE_IN_FRAME;
    if (inFrameArea < 1 || inFrameArea < needed * fullArea) {
      return false;
    }
    Rectangle2D bounds = shape.getBounds2D();
    List<Area> remaining = new ArrayList<>(placed.size());
    for (Placed p : placed) {
      if (!bounds.intersects(p.visible.getBounds2D())) {
        remaining.add(p.visible);
        continue;
      }
      Area rest = new Area(p.visible);
      rest.subtract(shape);
      if (AreaPolygons.area(rest) < options.minVisibleFraction() * p.inFrameArea) {
        return false;
      }
      remaining.add(rest);
    }
    for (int i = 0; i < placed.size(); i++) {
      placed.get(i).visible = remaining.get(i);
    }
    placed.add(new Placed(kind, color, shape, inFrame, inFrameArea, keypoints));
    return true;
  }

  private static Area shape(SceneObjectKind kind, double cx, double cy, double size,
      SplittableRandom random) {
    return switch (kind) {
      case CIRCLE -> {
        int n = (int) Math.max(12, Math.min(40, Math.round(Math.PI * size / 2.5)));
        yield regularPolygon(cx, cy, size / 2, n, random.nextDouble(0, 2 * Math.PI / n));
      }
      case SQUARE -> {
        double s = size / 2;
        yield polygon(cx, cy, random.nextDouble(-0.35, 0.35), -s, -s, s, -s, s, s, -s, s);
      }
      case TRIANGLE -> regularPolygon(cx, cy, size * 0.6, 3,
          random.nextDouble(0, 2 * Math.PI / 3));
      case CROSS -> {
        double l = size / 2;
        double t = size / 6;
        yield polygon(cx, cy, random.nextDouble(-0.35, 0.35), -t, -l, t, -l, t, -t, l, -t, l, t,
            t, t, t, l, -t, l, -t, t, -l, t, -l, -t, -t, -t);
      }
      case PERSON -> throw new IllegalArgumentException("figures are built by StickFigure");
    };
  }

  /** A regular polygon as an area; every polygon in a scene is built through here or below. */
  static Area regularPolygon(double cx, double cy, double radius, int n, double phase) {
    Path2D.Double p = new Path2D.Double(Path2D.WIND_NON_ZERO, n + 1);
    for (int i = 0; i < n; i++) {
      double a = phase + 2 * Math.PI * i / n;
      double x = cx + radius * StrictMath.cos(a);
      double y = cy + radius * StrictMath.sin(a);
      if (i == 0) {
        p.moveTo(x, y);
      } else {
        p.lineTo(x, y);
      }
    }
    p.closePath();
    return new Area(p);
  }

  /** The polygon with local vertices {@code xy}, rotated by {@code angle}, centred at cx, cy. */
  static Area polygon(double cx, double cy, double angle, double... xy) {
    double c = StrictMath.cos(angle);
    double s = StrictMath.sin(angle);
    Path2D.Double p = new Path2D.Double(Path2D.WIND_NON_ZERO, xy.length / 2 + 1);
    for (int i = 0; i < xy.length; i += 2) {
      double x = cx + xy[i] * c - xy[i + 1] * s;
      double y = cy + xy[i] * s + xy[i + 1] * c;
      if (i == 0) {
        p.moveTo(x, y);
      } else {
        p.lineTo(x, y);
      }
    }
    p.closePath();
    return new Area(p);
  }

  private Keypoints keypoints(double[][] xy, List<Placed> placed, int self) {
    List<Keypoint> out = new ArrayList<>(xy.length);
    for (double[] p : xy) {
      double x = p[0];
      double y = p[1];
      if (x < 0 || y < 0 || x >= options.width() || y >= options.height()) {
        out.add(Keypoint.unlabeled());
        continue;
      }
      boolean covered = false;
      for (int j = self + 1; j < placed.size() && !covered; j++) {
        covered = placed.get(j).full.contains(x, y);
      }
      out.add(new Keypoint(x, y, covered ? Visibility.OCCLUDED : Visibility.VISIBLE, 1));
    }
    return new Keypoints(out, 1);
  }

  private BufferedImage render(List<Placed> placed, SplittableRandom random) {
    int w = options.width();
    int h = options.height();
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] px = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    paintBackground(px, w, h, random);
    for (Placed p : placed) {
      CentreSampledFill.fill(p.full, p.color.rgb(), px, w, h);
    }
    addNoise(px, random.split());
    return image;
  }

  private void paintBackground(int[] px, int w, int h, SplittableRandom random) {
    int[] c0 = backgroundColor(random);
    int[] c1 = options.gradientBackground() ? backgroundColor(random) : c0;
    double angle = random.nextDouble(0, 2 * Math.PI);
    double dx = StrictMath.cos(angle);
    double dy = StrictMath.sin(angle);
    double reach = Math.abs(dx) * w / 2 + Math.abs(dy) * h / 2;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double t = 0.5 + ((x + 0.5 - w / 2.0) * dx + (y + 0.5 - h / 2.0) * dy) / (2 * reach);
        int r = (int) Math.round(c0[0] + (c1[0] - c0[0]) * t);
        int g = (int) Math.round(c0[1] + (c1[1] - c0[1]) * t);
        int b = (int) Math.round(c0[2] + (c1[2] - c0[2]) * t);
        px[y * w + x] = (r << 16) | (g << 8) | b;
      }
    }
  }

  private static int[] backgroundColor(SplittableRandom random) {
    int grey = random.nextInt(150, 216);
    return new int[] {
      grey + random.nextInt(-10, 11), grey + random.nextInt(-10, 11),
      grey + random.nextInt(-10, 11)
    };
  }

  private void addNoise(int[] px, SplittableRandom random) {
    int a = options.noiseAmplitude();
    if (a == 0) {
      return;
    }
    int span = 2 * a + 1;
    for (int i = 0; i < px.length; i++) {
      int bits = random.nextInt();
      int c = px[i];
      int r = clamp(((c >> 16) & 0xff) + ((bits & 0xff) % span) - a);
      int g = clamp(((c >> 8) & 0xff) + (((bits >>> 8) & 0xff) % span) - a);
      int b = clamp((c & 0xff) + (((bits >>> 16) & 0xff) % span) - a);
      px[i] = (r << 16) | (g << 8) | b;
    }
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb93e2185ec53L;
    return z ^ (z >>> 33);
  }
}
