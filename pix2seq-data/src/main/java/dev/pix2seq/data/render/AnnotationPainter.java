package dev.pix2seq.data.render;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.Keypoint;
import dev.pix2seq.api.value.KeypointSchema;
import dev.pix2seq.api.value.Point;
import dev.pix2seq.api.value.Polygon;
import dev.pix2seq.api.value.PolygonMask;
import dev.pix2seq.api.value.RleMask;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws boxes with labels, translucent masks, keypoints with their skeleton and captions onto an
 * enlarged copy of an image. Colours are fixed per category index, so pictures of the same
 * dataset are comparable. Immutable; thread-safe.
 *
 * <pre>{@code
 * BufferedImage png = new AnnotationPainter(categories, 3).paint(image, items, captions);
 * }</pre>
 */
public final class AnnotationPainter {
  private static final Color[] PALETTE = {
    new Color(0xE6194B), new Color(0x3CB44B), new Color(0x4363D8), new Color(0xF58231),
    new Color(0x911EB4), new Color(0x42D4F4), new Color(0xF032E6), new Color(0xBFEF45),
    new Color(0x469990), new Color(0x9A6324), new Color(0x800000), new Color(0x000075)
  };

  private final Map<Integer, Category> categories;
  private final Map<Integer, Integer> colourIndex;
  private final int scale;

  /**
   * @param categories the dataset's categories (names, keypoint schemas, colour order)
   * @param scale integer enlargement of the picture (1 keeps the size), 1..16
   */
  public AnnotationPainter(List<Category> categories, int scale) {
    if (scale < 1 || scale > 16) {
      throw new IllegalArgumentException("scale must be in 1..16, found " + scale);
    }
    this.scale = scale;
    this.categories = new HashMap<>();
    this.colourIndex = new HashMap<>();
    for (int i = 0; i < categories.size(); i++) {
      this.categories.put(categories.get(i).id(), categories.get(i));
      this.colourIndex.put(categories.get(i).id(), i);
    }
  }

  /** An enlarged copy of {@code image} with the items and captions drawn on it. */
  public BufferedImage paint(BufferedImage image, List<OverlayItem> items, List<String> captions) {
    int w = image.getWidth() * scale;
    int h = image.getHeight() * scale;
    int lineHeight = 14;
    int captionHeight = captions.isEmpty() ? 0 : captions.size() * lineHeight + 6;
    BufferedImage out = new BufferedImage(w, h + captionHeight, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
      g.drawImage(image, 0, 0, w, h, null);
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
      for (OverlayItem item : items) {
        drawMask(g, item);
      }
      for (OverlayItem item : items) {
        drawKeypoints(g, item);
        drawBox(g, item);
      }
      if (!captions.isEmpty()) {
        g.setColor(Color.WHITE);
        g.fillRect(0, h, w, captionHeight);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i < captions.size(); i++) {
          g.drawString(fit(g.getFontMetrics(), captions.get(i), w - 8), 4,
              h + (i + 1) * lineHeight);
        }
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  private Color colour(int categoryId) {
    Integer i = colourIndex.get(categoryId);
    return PALETTE[Math.floorMod(i == null ? categoryId : i, PALETTE.length)];
  }

  private void drawMask(Graphics2D g, OverlayItem item) {
    Color c = colour(item.categoryId());
    Color fill = new Color(c.getRed(), c.getGreen(), c.getBlue(), 110);
    if (item.mask() instanceof PolygonMask pm) {
      for (Polygon p : pm.polygons()) {
        Path2D path = new Path2D.Double();
        List<Point> pts = p.points();
        path.moveTo(pts.get(0).x() * scale, pts.get(0).y() * scale);
        for (int i = 1; i < pts.size(); i++) {
          path.lineTo(pts.get(i).x() * scale, pts.get(i).y() * scale);
        }
        path.closePath();
        g.setColor(fill);
        g.fill(path);
        g.setColor(c);
        g.setStroke(new BasicStroke(1.5f));
        g.draw(path);
      }
    } else if (item.mask() instanceof RleMask rle) {
      g.setColor(fill);
      int[] counts = rle.counts();
      long pos = 0;
      for (int i = 0; i < counts.length; i++) {
        if (i % 2 == 1) {
          for (long p = pos; p < pos + counts[i]; p++) {
            int x = (int) (p / rle.height());
            int y = (int) (p % rle.height());
            g.fillRect(x * scale, y * scale, scale, scale);
          }
        }
        pos += counts[i];
      }
    }
  }

  private void drawBox(Graphics2D g, OverlayItem item) {
    BoundingBox b = item.box();
    if (b == null) {
      return;
    }
    Color c = colour(item.categoryId());
    g.setColor(c);
    g.setStroke(new BasicStroke(2f));
    int x = (int) Math.round(b.xMin() * scale);
    int y = (int) Math.round(b.yMin() * scale);
    g.drawRect(x, y, (int) Math.round(b.width() * scale), (int) Math.round(b.height() * scale));
    Category cat = categories.get(item.categoryId());
    String label = cat == null ? "class " + item.categoryId() : cat.name();
    if (!Double.isNaN(item.score())) {
      label += String.format(Locale.ROOT, " %.2f", item.score());
    }
    FontMetrics fm = g.getFontMetrics();
    int ty = Math.max(y, fm.getAscent() + 2);
    g.fillRect(x, ty - fm.getAscent() - 2, fm.stringWidth(label) + 4, fm.getAscent() + 3);
    g.setColor(Color.WHITE);
    g.drawString(label, x + 2, ty - 1);
  }

  private void drawKeypoints(Graphics2D g, OverlayItem item) {
    if (item.keypoints() == null) {
      return;
    }
    List<Keypoint> pts = item.keypoints().points();
    Category cat = categories.get(item.categoryId());
    KeypointSchema schema = cat == null ? null : cat.keypoints();
    if (schema != null && schema.size() == pts.size()) {
      g.setStroke(new BasicStroke(2f));
      g.setColor(new Color(0x00C8FF));
      for (KeypointSchema.Edge e : schema.skeleton()) {
        Keypoint a = pts.get(e.from());
        Keypoint b = pts.get(e.to());
        if (a.visibility().isLabeled() && b.visibility().isLabeled()) {
          g.drawLine((int) Math.round(a.x() * scale), (int) Math.round(a.y() * scale),
              (int) Math.round(b.x() * scale), (int) Math.round(b.y() * scale));
        }
      }
    }
    List<String> names = schema == null ? List.of() : schema.names();
    for (int i = 0; i < pts.size(); i++) {
      Keypoint k = pts.get(i);
      if (!k.visibility().isLabeled()) {
        continue;
      }
      boolean left = i < names.size() && names.get(i).startsWith("left");
      g.setColor(left ? new Color(0xFFD700) : new Color(0xFF3030));
      int r = 3;
      int cx = (int) Math.round(k.x() * scale);
      int cy = (int) Math.round(k.y() * scale);
      if (k.visibility() == dev.pix2seq.api.value.Visibility.VISIBLE) {
        g.fillOval(cx - r, cy - r, 2 * r, 2 * r);
      } else {
        g.drawOval(cx - r, cy - r, 2 * r, 2 * r);
      }
    }
  }

  private static String fit(FontMetrics fm, String text, int width) {
    if (fm.stringWidth(text) <= width) {
      return text;
    }
    List<String> words = new ArrayList<>(List.of(text.split(" ")));
    while (!words.isEmpty() && fm.stringWidth(String.join(" ", words) + " ...") > width) {
      words.remove(words.size() - 1);
    }
    return String.join(" ", words) + " ...";
  }
}
