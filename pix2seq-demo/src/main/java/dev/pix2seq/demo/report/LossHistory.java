package dev.pix2seq.demo.report;

import dev.pix2seq.runtime.train.StepMetrics;
import dev.pix2seq.runtime.train.TrainingListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Records the losses of a training run, step by step: the weighted loss of every step and each
 * task's own loss at the steps that trained it. A {@link TrainingListener}: add it to a run,
 * then plot it with {@link LossCurvePlot}. Not thread-safe; the run calls it on its training
 * thread, read it after the run.
 */
public final class LossHistory implements TrainingListener {

  /**
   * One recorded loss.
   *
   * @param step steps completed (1 after the first)
   * @param loss the loss
   */
  public record Point(long step, double loss) {}

  private final List<Point> total = new ArrayList<>();
  private final Map<String, List<Point>> byTask = new TreeMap<>();
  private double lastImagesPerSecond = Double.NaN;
  private long images;
  private double elapsedSeconds;

  @Override
  public void onStep(StepMetrics m) {
    total.add(new Point(m.step(), m.loss()));
    m.taskLosses().forEach((task, loss) ->
        byTask.computeIfAbsent(task, t -> new ArrayList<>()).add(new Point(m.step(), loss)));
    lastImagesPerSecond = m.imagesPerSecond();
    images += m.images();
    elapsedSeconds = m.elapsedSeconds();
  }

  /** The weighted loss of every step. */
  public List<Point> total() {
    return Collections.unmodifiableList(total);
  }

  /** Each task's own loss at the steps that trained it, by task name. */
  public Map<String, List<Point>> byTask() {
    Map<String, List<Point>> out = new TreeMap<>();
    byTask.forEach((k, v) -> out.put(k, Collections.unmodifiableList(v)));
    return Collections.unmodifiableMap(out);
  }

  /** Steps recorded. */
  public int steps() {
    return total.size();
  }

  /** Training rows seen by the recorded steps. */
  public long images() {
    return images;
  }

  /** Training rows per second over the recorded steps, NaN before the first. */
  public double imagesPerSecond() {
    return elapsedSeconds > 0 ? images / elapsedSeconds : lastImagesPerSecond;
  }

  /** The mean loss of a task over the last {@code n} steps that trained it, or NaN. */
  public double recentLoss(String task, int n) {
    List<Point> points = byTask.getOrDefault(task, List.of());
    return mean(points, n);
  }

  /** The mean weighted loss over the last {@code n} steps, or NaN. */
  public double recentLoss(int n) {
    return mean(total, n);
  }

  private static double mean(List<Point> points, int n) {
    if (points.isEmpty() || n < 1) {
      return Double.NaN;
    }
    int from = Math.max(0, points.size() - n);
    double sum = 0;
    for (int i = from; i < points.size(); i++) {
      sum += points.get(i).loss();
    }
    return sum / (points.size() - from);
  }
}
