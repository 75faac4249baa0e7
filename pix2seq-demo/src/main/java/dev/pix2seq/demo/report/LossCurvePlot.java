package dev.pix2seq.demo.report;

import dev.pix2seq.api.config.ConfigIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Training loss curves as a PNG (JFreeChart): one line per named series, loss over steps. Each
 * line is a moving mean over a window of about a twenty-fifth of its points, so the trend shows
 * through the noise of single steps (a task trained at a quarter of the steps gets its own
 * window). Stateless.
 *
 * <pre>{@code
 * LossCurvePlot.write(Path.of("loss.png"), "multi-task training", LossCurvePlot.series(history));
 * }</pre>
 */
public final class LossCurvePlot {
  private static final int WIDTH = 800;
  private static final int HEIGHT = 480;
  private static final int SMOOTHING_PARTS = 25;
  /** Name of the weighted-loss series in {@link #series(LossHistory)}. */
  public static final String TOTAL = "all tasks (weighted)";

  private LossCurvePlot() {}

  /** The weighted loss and each task's loss of a run, in that order, by series name. */
  public static Map<String, List<LossHistory.Point>> series(LossHistory history) {
    Map<String, List<LossHistory.Point>> out = new LinkedHashMap<>();
    out.put(TOTAL, history.total());
    history.byTask().forEach(out::put);
    return out;
  }

  /**
   * Draws the series and writes the PNG atomically (creating missing folders). Empty series
   * are left out; with none at all the chart is empty.
   */
  public static void write(Path file, String title, Map<String, List<LossHistory.Point>> series)
      throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    series.forEach((name, points) -> {
      if (!points.isEmpty()) {
        data.addSeries(smoothed(name, points));
      }
    });
    JFreeChart chart = ChartFactory.createXYLineChart(
        "Training loss: " + title, "step", "loss (moving mean)", data, PlotOrientation.VERTICAL,
        true, false, false);
    XYPlot plot = chart.getXYPlot();
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    plot.getDomainAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
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

  /**
   * The moving mean of the points over a trailing window, one value per point; non-finite
   * losses are left out.
   */
  static XYSeries smoothed(String name, List<LossHistory.Point> all) {
    List<LossHistory.Point> points =
        all.stream().filter(p -> Double.isFinite(p.loss())).toList();
    XYSeries s = new XYSeries(name, true, true);
    int window = Math.max(1, points.size() / SMOOTHING_PARTS);
    double sum = 0;
    for (int i = 0; i < points.size(); i++) {
      sum += points.get(i).loss();
      if (i >= window) {
        sum -= points.get(i - window).loss();
      }
      s.add(points.get(i).step(), sum / Math.min(i + 1, window));
    }
    return s;
  }
}
