package dev.pix2seq.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pix2seq.demo.report.MetricJson;

/**
 * Wall-clock seconds of the demo's phases.
 *
 * @param data writing the synthetic scenes
 * @param training training the multi-task model (model creation and checkpoints included)
 * @param evaluation running and scoring it on the held-out split
 * @param comparison training and evaluating the single-task models (0 when not asked for)
 * @param pictures drawing pictures and plots
 * @param total the whole demo up to the report
 */
public record DemoTimings(
    double data, double training, double evaluation, double comparison, double pictures,
    double total) {

  /** The timings as JSON, in seconds. */
  public ObjectNode toJson() {
    ObjectNode n = MetricJson.object();
    n.put("data", data);
    n.put("training", training);
    n.put("evaluation", evaluation);
    n.put("comparison", comparison);
    n.put("picturesAndPlots", pictures);
    n.put("total", total);
    return n;
  }
}
