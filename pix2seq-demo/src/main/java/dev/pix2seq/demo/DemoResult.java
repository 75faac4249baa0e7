package dev.pix2seq.demo;

import dev.pix2seq.demo.eval.ModelEvaluation;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * What a {@link DemoRun} produced.
 *
 * @param output the demo folder
 * @param reportMarkdown {@code report.md}
 * @param reportJson {@code report.json}
 * @param report everything the report holds
 */
public record DemoResult(Path output, Path reportMarkdown, Path reportJson, DemoReport report) {

  public DemoResult {
    if (output == null || reportMarkdown == null || reportJson == null || report == null) {
      throw new IllegalArgumentException("a demo result needs its folder, report files and "
          + "report");
    }
  }

  /** The headline metrics (see {@link DemoReport#metrics()}). */
  public Map<String, Double> metrics() {
    return report.metrics();
  }

  /** A few lines for a console: the metrics, the comparison if any, and the report's path. */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "trained %d of %d steps in %s, evaluated %d held-out "
        + "images in %s%n", report.training().lastStep(), report.training().totalSteps(),
        DemoReport.duration(report.training().elapsedSeconds()),
        report.evaluation().imageIds().size(), DemoReport.duration(report.timings().evaluation())));
    report.evaluation().metrics().forEach((k, v) -> sb.append(String.format(Locale.ROOT,
        "  %-22s %s%n", k, ModelEvaluation.format(v))));
    if (!report.singleTaskRuns().isEmpty()) {
      sb.append("single-task models (same budget):\n");
      for (DemoReport.ComparisonRow r : report.comparison()) {
        sb.append(String.format(Locale.ROOT, "  %-22s multi-task %s, single-task %s%n",
            r.metric(), ModelEvaluation.format(r.multiTask()),
            ModelEvaluation.format(r.singleTask())));
      }
    }
    sb.append("report: ").append(reportMarkdown);
    return sb.toString();
  }
}
