package dev.pix2seq.demo.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.runtime.train.StepMetrics;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.data.xy.XYSeries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossCurvePlotTest {
  @TempDir Path tmp;

  private static StepMetrics step(long step, String task, double loss) {
    return new StepMetrics(step, 100, List.of(task), loss, Map.of(task, loss), 1e-3, 1.0, 4,
        8.0, step * 0.5);
  }

  @Test
  void theHistoryKeepsEachTasksLossAtTheStepsThatTrainedIt() {
    LossHistory h = new LossHistory();
    h.onStep(step(1, "detect", 4));
    h.onStep(step(2, "describe", 6));
    h.onStep(step(3, "detect", 2));
    assertEquals(3, h.steps());
    assertEquals(List.of(new LossHistory.Point(1, 4), new LossHistory.Point(3, 2)),
        h.byTask().get("detect"));
    assertEquals(3.0, h.recentLoss("detect", 5));
    assertEquals(2.0, h.recentLoss("detect", 1));
    assertEquals(4.0, h.recentLoss(3));
    assertTrue(Double.isNaN(h.recentLoss("segment", 5)));
    assertEquals(12 / 1.5, h.imagesPerSecond(), 1e-9);
  }

  @Test
  void curvesAreTrailingMovingMeansWithoutNonFiniteLosses() {
    List<LossHistory.Point> points = new ArrayList<>();
    for (int i = 1; i <= 50; i++) {
      points.add(new LossHistory.Point(i, i));
    }
    points.add(new LossHistory.Point(51, Double.NaN));
    XYSeries s = LossCurvePlot.smoothed("x", points);
    assertEquals(50, s.getItemCount());
    assertEquals(1.0, s.getY(0).doubleValue());
    assertEquals(1.5, s.getY(1).doubleValue(), "window of 2 for 50 points");
    assertEquals(49.5, s.getY(49).doubleValue());
  }

  @Test
  void thePlotIsAPng() throws Exception {
    LossHistory h = new LossHistory();
    for (int i = 1; i <= 30; i++) {
      h.onStep(step(i, i % 2 == 0 ? "detect" : "describe", 5.0 / i));
    }
    Path file = tmp.resolve("plots/loss.png");
    LossCurvePlot.write(file, "test", LossCurvePlot.series(h));
    BufferedImage image = ImageIO.read(file.toFile());
    assertNotNull(image);
    assertEquals(800, image.getWidth());
    assertEquals(List.of(LossCurvePlot.TOTAL, "describe", "detect"),
        List.copyOf(LossCurvePlot.series(h).keySet()));
  }
}
