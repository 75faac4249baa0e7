package dev.pix2seq.data.augment;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.api.value.Keypoint;
import dev.pix2seq.api.value.Keypoints;
import dev.pix2seq.api.value.Point;
import dev.pix2seq.api.value.Polygon;
import dev.pix2seq.api.value.Visibility;
import java.util.ArrayList;
import java.util.List;

/** The three geometric steps every augmentation is made of: resize, crop (or pad), mirror. */
final class SampleGeometry {
  private SampleGeometry() {}

  /** The sample resized to {@code newW x newH}; coordinates scale by {@code newW / w}. */
  static AnnotatedImage resize(AnnotatedImage s, int newW, int newH) {
    return resize(s, newW, newH, false);
  }

  /**
   * The sample resized to {@code newW x newH}, the pixels by {@link ImageTensors#resize} or, with
   * {@code antialias}, by {@link ImageTensors#resizeAntialiased}; coordinates scale by {@code
   * newW / w}. An unchanged size returns the sample itself (both resamplers are then the
   * identity, bit for bit).
   */
  static AnnotatedImage resize(AnnotatedImage s, int newW, int newH, boolean antialias) {
    if (newW <= 0 || newH <= 0) {
      throw new IllegalArgumentException(
          "resize needs a positive size, found " + newW + "x" + newH);
    }
    if (newW == s.width() && newH == s.height()) {
      return s;
    }
    CoordinateMap step =
        CoordinateMap.scale((double) newW / s.width(), (double) newH / s.height());
    List<AnnotatedInstance> out = new ArrayList<>(s.instances().size());
    for (AnnotatedInstance in : s.instances()) {
      out.add(map(in, step));
    }
    ImageTensor img = antialias
        ? ImageTensors.resizeAntialiased(s.image(), newW, newH)
        : ImageTensors.resize(s.image(), newW, newH);
    return s.next(img, out, s.captions(), step, 0);
  }

  /**
   * The window {@code [x0, x0 + w) x [y0, y0 + h)} of the sample; window parts outside the image
   * are filled with {@code fill}. Polygons are clipped to the part of the window covered by the
   * image, keypoints outside it become unlabeled, instances with nothing left are removed and
   * counted.
   */
  static AnnotatedImage crop(AnnotatedImage s, int x0, int y0, int w, int h, float fill) {
    if (w <= 0 || h <= 0) {
      throw new IllegalArgumentException("crop needs a positive size, found " + w + "x" + h);
    }
    if (x0 == 0 && y0 == 0 && w == s.width() && h == s.height()) {
      return s;
    }
    CoordinateMap step = CoordinateMap.translate(-x0, -y0);
    // The region that still shows image content, in the new coordinates.
    double cx0 = Math.max(0, -x0);
    double cy0 = Math.max(0, -y0);
    double cx1 = Math.min(w, s.width() - x0);
    double cy1 = Math.min(h, s.height() - y0);
    List<AnnotatedInstance> out = new ArrayList<>(s.instances().size());
    int dropped = 0;
    for (AnnotatedInstance in : s.instances()) {
      AnnotatedInstance c = clip(map(in, step), cx0, cy0, cx1, cy1);
      if (c == null) {
        dropped++;
      } else {
        out.add(c);
      }
    }
    ImageTensor img = ImageTensors.crop(s.image(), x0, y0, w, h, fill);
    return s.next(img, out, s.captions(), step, dropped);
  }

  /**
   * The mirror image. {@code permutations} gives, per instance, the keypoint permutation of its
   * category (entry {@code i}: the index whose point moves to slot {@code i}), or null.
   */
  static AnnotatedImage flip(AnnotatedImage s, List<int[]> permutations,
      List<String> newCaptions) {
    CoordinateMap step = CoordinateMap.mirrorX(s.width());
    List<AnnotatedInstance> out = new ArrayList<>(s.instances().size());
    for (int i = 0; i < s.instances().size(); i++) {
      AnnotatedInstance m = map(s.instances().get(i), step);
      int[] perm = permutations.get(i);
      if (m.keypoints() != null && perm != null) {
        List<Keypoint> pts = m.keypoints().points();
        if (perm.length != pts.size()) {
          throw new IllegalArgumentException("instance " + m.id() + " of category "
              + m.categoryId() + " has " + pts.size() + " keypoints but its schema has "
              + perm.length);
        }
        List<Keypoint> swapped = new ArrayList<>(pts.size());
        for (int k = 0; k < pts.size(); k++) {
          swapped.add(pts.get(perm[k]));
        }
        m = m.withGeometry(m.box(), m.polygons(), new Keypoints(swapped, m.keypoints().score()));
      }
      out.add(m);
    }
    return s.next(ImageTensors.flipHorizontal(s.image()), out, newCaptions, step, 0);
  }

  /** The instance mapped by {@code m}; mirrored polygons keep their orientation. */
  static AnnotatedInstance map(AnnotatedInstance in, CoordinateMap m) {
    List<Polygon> polys = new ArrayList<>(in.polygons().size());
    for (Polygon p : in.polygons()) {
      List<Point> src = p.points();
      List<Point> pts = new ArrayList<>(src.size());
      for (int i = 0; i < src.size(); i++) {
        Point q = m.mirrorsX() ? src.get(src.size() - 1 - i) : src.get(i);
        pts.add(m.apply(q));
      }
      polys.add(new Polygon(pts));
    }
    Keypoints kps = null;
    if (in.keypoints() != null) {
      List<Keypoint> pts = new ArrayList<>(in.keypoints().points().size());
      for (Keypoint k : in.keypoints().points()) {
        pts.add(k.visibility().isLabeled()
            ? new Keypoint(m.x(k.x()), m.y(k.y()), k.visibility(), k.score())
            : k);
      }
      kps = new Keypoints(pts, in.keypoints().score());
    }
    return in.withGeometry(m.apply(in.box()), polys, kps);
  }

  /** The instance clipped to {@code [x0, x1] x [y0, y1]}, or null when nothing is left. */
  static AnnotatedInstance clip(AnnotatedInstance in, double x0, double y0, double x1,
      double y1) {
    if (x1 <= x0 || y1 <= y0) {
      return null;
    }
    BoundingBox b = in.box();
    boolean inside = b.xMin() >= x0 && b.yMin() >= y0 && b.xMax() <= x1 && b.yMax() <= y1;
    BoundingBox box = b;
    List<Polygon> polys = in.polygons();
    if (!inside) {
      double bx0 = clamp(b.xMin(), x0, x1);
      double by0 = clamp(b.yMin(), y0, y1);
      double bx1 = clamp(b.xMax(), x0, x1);
      double by1 = clamp(b.yMax(), y0, y1);
      if (!polys.isEmpty()) {
        polys = AreaPolygons.clip(polys, x0, y0, x1, y1);
        if (polys.isEmpty()) {
          return null;
        }
        BoundingBox pb = AreaPolygons.bounds(polys);
        double ix0 = Math.max(bx0, pb.xMin());
        double iy0 = Math.max(by0, pb.yMin());
        double ix1 = Math.min(bx1, pb.xMax());
        double iy1 = Math.min(by1, pb.yMax());
        if (ix1 > ix0 && iy1 > iy0) {
          bx0 = ix0;
          by0 = iy0;
          bx1 = ix1;
          by1 = iy1;
        }
      }
      if (bx1 <= bx0 || by1 <= by0) {
        return null;
      }
      box = new BoundingBox(bx0, by0, bx1, by1);
    }
    Keypoints kps = in.keypoints();
    if (kps != null) {
      List<Keypoint> pts = new ArrayList<>(kps.points().size());
      for (Keypoint k : kps.points()) {
        boolean out = k.visibility().isLabeled()
            && (k.x() < x0 || k.x() > x1 || k.y() < y0 || k.y() > y1);
        pts.add(out ? new Keypoint(0, 0, Visibility.UNLABELED, k.score()) : k);
      }
      kps = new Keypoints(pts, kps.score());
    }
    return in.withGeometry(box, polys, kps);
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
