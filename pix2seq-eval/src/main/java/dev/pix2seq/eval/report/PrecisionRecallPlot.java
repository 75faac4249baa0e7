package dev.pix2seq.eval.report;

import dev.pix2seq.api.config.ConfigIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Precision/recall curves of a COCO evaluation as a PNG (JFreeChart): precision at each of the
 * 101 recall thresholds, averaged over the categories that have ground truth, for IoU 0.50, 0.75
 * and the mean over all IoU thresholds, area "all", the largest maxDets.
 *
 * <pre>{@code
 * PrecisionRecallPlot.write(Path.of("pr.png"), "bbox", params.iouThrs(), params.recThrs(), precision);
 * }</pre>
 */
public final class PrecisionRecallPlot {
  private static final int WIDTH = 640;
  private static final int HEIGHT = 480;

  private PrecisionRecallPlot() {}

  /**
   * Draws the curves and writes the PNG atomically.
   *
   * @param file output PNG
   * @param title chart title (e.g. the iouType)
   * @param iouThrs IoU (or OKS) thresholds, T of them
   * @param recThrs recall thresholds, R of them
   * @param precision pycocotools' precision array {@code [T][R][K][A][M]}; -1 where undefined
   */
  public static void write(
      Path file, String title, double[] iouThrs, double[] recThrs, double[][][][][] precision)
      throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    int t50 = nearest(iouThrs, 0.5);
    int t75 = nearest(iouThrs, 0.75);
    data.addSeries(series(String.format(Locale.ROOT, "IoU %.2f", iouThrs[t50]), recThrs,
        precision, t50, t50 + 1));
    if (t75 != t50) {
      data.addSeries(series(String.format(Locale.ROOT, "IoU %.2f", iouThrs[t75]), recThrs,
          precision, t75, t75 + 1));
    }
    data.addSeries(series(String.format(Locale.ROOT, "mean IoU %.2f:%.2f", iouThrs[0],
        iouThrs[iouThrs.length - 1]), recThrs, precision, 0, iouThrs.length));
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            "Precision / recall: " + title, "recall", "precision", data,
            PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    plot.getDomainAxis().setRange(0, 1);
    plot.getRangeAxis().setRange(0, 1.02);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    for (int s = 0; s < data.getSeriesCount(); s++) {
      renderer.setSeriesStroke(s, new BasicStroke(2f));
    }
    plot.setRenderer(renderer);
    chart.setBackgroundPaint(Color.WHITE);
    BufferedImage image = chart.createBufferedImage(WIDTH, HEIGHT);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(image, "png", png);
    ConfigIO.writeAtomically(file, png.toByteArray());
  }

  /** Precision at each recall threshold, averaged over IoU rows [t0, t1) and valid categories. */
  static XYSeries series(
      String name, double[] recThrs, double[][][][][] precision, int t0, int t1) {
    XYSeries s = new XYSeries(name, false, true);
    int areaAll = 0;
    for (int r = 0; r < recThrs.length; r++) {
      double sum = 0;
      int n = 0;
      for (int t = t0; t < t1; t++) {
        double[][][] byCategory = precision[t][r];
        for (double[][] byArea : byCategory) {
          double[] byMaxDets = byArea[areaAll];
          double p = byMaxDets[byMaxDets.length - 1];
          if (p > -1) {
            sum += p;
            n++;
          }
        }
      }
      if (n > 0) {
        s.add(recThrs[r], sum / n);
      }
    }
    return s;
  }

  private static int nearest(double[] values, double target) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (Math.abs(values[i] - target) < Math.abs(values[best] - target)) {
        best = i;
      }
    }
    return best;
  }
}
