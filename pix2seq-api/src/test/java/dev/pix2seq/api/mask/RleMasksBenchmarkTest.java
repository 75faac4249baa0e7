package dev.pix2seq.api.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.pix2seq.api.value.RleMask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Timing of {@link RleMasks#iou} on one COCO-sized image: 100 detections against 7 ground-truth
 * masks of 640x480. Off by default; run with
 * {@code mvn -pl pix2seq-api test -Dtest=RleMasksBenchmarkTest -Dpix2seq.bench=true}.
 */
@EnabledIfSystemProperty(named = "pix2seq.bench", matches = "true")
class RleMasksBenchmarkTest {

  private static final int HEIGHT = 480;
  private static final int WIDTH = 640;

  @Test
  void iouOf100DetectionsAnd7GroundTruths() {
    Random rnd = new Random(3);
    List<RleMask> gt = new ArrayList<>();
    List<double[]> gtShapes = new ArrayList<>();
    for (int g = 0; g < 7; g++) {
      double[] shape = {
          60 + rnd.nextDouble() * 520, 60 + rnd.nextDouble() * 360,
          15 + rnd.nextDouble() * 150, 15 + rnd.nextDouble() * 120};
      gtShapes.add(shape);
      gt.add(RleMasks.fromPolygon(ellipse(rnd, shape, 0.1), HEIGHT, WIDTH));
    }
    List<RleMask> dt = new ArrayList<>();
    for (int d = 0; d < 100; d++) {
      double[] s = gtShapes.get(rnd.nextInt(7)).clone();
      s[0] += rnd.nextGaussian() * s[2] * 0.3;
      s[1] += rnd.nextGaussian() * s[3] * 0.3;
      s[2] *= 0.6 + rnd.nextDouble() * 0.8;
      s[3] *= 0.6 + rnd.nextDouble() * 0.8;
      dt.add(RleMasks.fromPolygon(ellipse(rnd, s, 0.2), HEIGHT, WIDTH));
    }
    boolean[] crowd = new boolean[7];
    crowd[6] = true;

    double[][] fast = RleMasks.iou(dt, gt, crowd);
    double[][] walk = runWalkIou(dt, gt, crowd);
    for (int d = 0; d < dt.size(); d++) {
      assertArrayEquals(walk[d], fast[d], 0.0);
    }
    long nonZero = Arrays.stream(fast).flatMapToDouble(Arrays::stream).filter(v -> v > 0).count();

    double fastMs = time(() -> RleMasks.iou(dt, gt, crowd));
    double walkMs = time(() -> runWalkIou(dt, gt, crowd));
    System.out.printf(
        "iou 100 dt x 7 gt, %dx%d, %d overlapping pairs: %.3f ms (full run walk %.3f ms)%n",
        WIDTH, HEIGHT, nonZero, fastMs, walkMs);
  }

  /** Median milliseconds of many calls after warm-up. */
  private static double time(Runnable r) {
    for (int i = 0; i < 2000; i++) {
      r.run();
    }
    double[] ms = new double[200];
    for (int i = 0; i < ms.length; i++) {
      long t0 = System.nanoTime();
      for (int k = 0; k < 10; k++) {
        r.run();
      }
      ms[i] = (System.nanoTime() - t0) / 1e6 / 10;
    }
    Arrays.sort(ms);
    return ms[ms.length / 2];
  }

  private static double[] ellipse(Random rnd, double[] s, double wobble) {
    int n = 40;
    double[] xy = new double[2 * n];
    for (int i = 0; i < n; i++) {
      double a = 2 * Math.PI * i / n;
      double r = 1 + wobble * (rnd.nextDouble() - 0.5);
      xy[2 * i] = s[0] + s[2] * r * Math.cos(a);
      xy[2 * i + 1] = s[1] + s[3] * r * Math.sin(a);
    }
    return xy;
  }

  /** Box pre-filter, then pycocotools' walk over both full run lists, for comparison. */
  private static double[][] runWalkIou(List<RleMask> dt, List<RleMask> gt, boolean[] crowd) {
    double[][] out = new double[dt.size()][gt.size()];
    List<double[]> db = dt.stream().map(RleMasks::toBbox).toList();
    List<double[]> gb = gt.stream().map(RleMasks::toBbox).toList();
    double[][] boxes = RleMasks.boxIou(db, gb, crowd);
    for (int d = 0; d < dt.size(); d++) {
      for (int g = 0; g < gt.size(); g++) {
        if (boxes[d][g] <= 0) {
          continue;
        }
        int[] a = dt.get(d).counts();
        int[] b = gt.get(g).counts();
        long ca = a[0];
        long cb = b[0];
        boolean va = false;
        boolean vb = false;
        int ia = 1;
        int ib = 1;
        long inter = 0;
        long union = 0;
        long ct = 1;
        while (ct > 0) {
          long c = Math.min(ca, cb);
          if (va || vb) {
            union += c;
            if (va && vb) {
              inter += c;
            }
          }
          ct = 0;
          ca -= c;
          if (ca == 0 && ia < a.length) {
            ca = a[ia++];
            va = !va;
          }
          ct += ca;
          cb -= c;
          if (cb == 0 && ib < b.length) {
            cb = b[ib++];
            vb = !vb;
          }
          ct += cb;
        }
        if (inter == 0) {
          union = 1;
        } else if (crowd[g]) {
          union = dt.get(d).area();
        }
        out[d][g] = (double) inter / union;
      }
    }
    return out;
  }
}
