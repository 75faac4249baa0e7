package dev.pix2seq.eval.coco;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Small ground-truth files for tests: 100x80 images, a person category with 17 keypoints and a
 * car category, boxes given as x, y, w, h (their polygon is the box).
 */
final class TinyCoco {
  private final List<String> images = new ArrayList<>();
  private final List<String> annotations = new ArrayList<>();

  TinyCoco image(long id) {
    images.add(String.format(Locale.ROOT,
        "{\"id\": %d, \"file_name\": \"%d.png\", \"width\": 100, \"height\": 80}", id, id));
    return this;
  }

  /** A box annotation whose area is w*h and segmentation the box polygon. */
  TinyCoco box(long id, long image, int category, double x, double y, double w, double h,
      boolean crowd) {
    return box(id, image, category, x, y, w, h, crowd, w * h);
  }

  TinyCoco box(long id, long image, int category, double x, double y, double w, double h,
      boolean crowd, double area) {
    annotations.add(String.format(Locale.ROOT,
        "{\"id\": %d, \"image_id\": %d, \"category_id\": %d, \"bbox\": [%s, %s, %s, %s], "
            + "\"area\": %s, \"iscrowd\": %d, \"segmentation\": [[%s, %s, %s, %s, %s, %s, %s, %s]]}",
        id, image, category, x, y, w, h, area, crowd ? 1 : 0, x, y, x + w, y, x + w, y + h, x,
        y + h));
    return this;
  }

  /** A person with keypoints (x, y, v triples, 17 of them). */
  TinyCoco person(long id, long image, double x, double y, double w, double h, double[] kps) {
    int labeled = 0;
    StringBuilder k = new StringBuilder();
    for (int i = 0; i < kps.length; i++) {
      if (i > 0) {
        k.append(", ");
      }
      k.append(kps[i]);
      if (i % 3 == 2 && kps[i] > 0) {
        labeled++;
      }
    }
    annotations.add(String.format(Locale.ROOT,
        "{\"id\": %d, \"image_id\": %d, \"category_id\": 1, \"bbox\": [%s, %s, %s, %s], "
            + "\"area\": %s, \"iscrowd\": 0, \"keypoints\": [%s], \"num_keypoints\": %d}",
        id, image, x, y, w, h, w * h, k, labeled));
    return this;
  }

  Path write(Path dir) throws IOException {
    String names = "\"nose\", \"left_eye\", \"right_eye\", \"left_ear\", \"right_ear\", "
        + "\"left_shoulder\", \"right_shoulder\", \"left_elbow\", \"right_elbow\", "
        + "\"left_wrist\", \"right_wrist\", \"left_hip\", \"right_hip\", \"left_knee\", "
        + "\"right_knee\", \"left_ankle\", \"right_ankle\"";
    String json = "{\"images\": [" + String.join(", ", images) + "], \"categories\": ["
        + "{\"id\": 1, \"name\": \"person\", \"keypoints\": [" + names + "], \"skeleton\": []}, "
        + "{\"id\": 3, \"name\": \"car\"}], \"annotations\": ["
        + String.join(", ", annotations) + "]}";
    Path file = dir.resolve("gt.json");
    Files.writeString(file, json);
    return file;
  }

  static Path results(Path dir, String json) throws IOException {
    Path file = dir.resolve("results.json");
    Files.writeString(file, json);
    return file;
  }

  /** 17 keypoints on a vertical line at x, from y0 down in steps, all visible. */
  static double[] line(double x, double y0, double step) {
    double[] k = new double[51];
    for (int q = 0; q < 17; q++) {
      k[3 * q] = x;
      k[3 * q + 1] = y0 + q * step;
      k[3 * q + 2] = 2;
    }
    return k;
  }
}
