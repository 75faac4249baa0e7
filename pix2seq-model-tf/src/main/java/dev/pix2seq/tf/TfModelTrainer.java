package dev.pix2seq.tf;

import dev.pix2seq.api.checkpoint.NamedTensor;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.api.model.NetworkInputs;
import dev.pix2seq.api.training.AbstractModelTrainer;
import dev.pix2seq.api.training.AdamWStateFiles;
import dev.pix2seq.api.training.TrainingBatch;
import dev.pix2seq.api.training.WeightedBatch;
import dev.pix2seq.tf.training.ResidualMasks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Trains a {@link TfModel} in place with one {@code Session.run} per step: the step's batches
 * are concatenated into one (text padded to the longest batch with weight 0), dropout and drop
 * path masks are drawn in Java from (seed, step, batch) exactly as the DJL backend draws them,
 * and the graph computes the weighted token cross-entropy, the gradients, the global norm, the
 * clipping factor and the AdamW update. A step whose gradient norm is not finite leaves weights
 * and moments unchanged and throws. The optimiser state files are shared ({@link AdamWStateFiles}),
 * so training can resume on either backend. One trainer per model at a time (a new trainer resets the
 * moments); not thread-safe.
 */
final class TfModelTrainer extends AbstractModelTrainer {

  private final TfModel model;
  private final TrainingGraph graph;

  TfModelTrainer(TfModel model, TrainConfig config) {
    super(model, config);
    this.model = model;
    this.graph = model.training();
    model.session().runner().addTarget(graph.resetMoments).run().close();
  }

  @Override
  protected Update update(List<WeightedBatch> batches, double learningRate, long stepsBefore) {
    TrainConfig config = config();
    ModelConfig c = model.config();
    int rows = 0;
    int maxLength = 0;
    List<ResidualMasks.BatchShape> shapes = new ArrayList<>();
    for (WeightedBatch wb : batches) {
      rows += wb.batch().size();
      maxLength = Math.max(maxLength, wb.batch().length());
      shapes.add(new ResidualMasks.BatchShape(wb.batch().size(), wb.batch().length()));
    }
    int side = c.imageSize();
    int perImage = 3 * side * side;
    float[] pixels = new float[rows * perImage];
    int[] tokens = new int[rows * maxLength];
    int[] targets = new int[rows * maxLength];
    float[] weights = new float[rows * maxLength];
    float[] factors = new float[rows];
    double[] weightSums = new double[batches.size()];
    int row = 0;
    for (int k = 0; k < batches.size(); k++) {
      TrainingBatch batch = batches.get(k).batch();
      System.arraycopy(NetworkInputs.pixels(batch.images(), c), 0, pixels, row * perImage,
          batch.size() * perImage);
      double sum = 0;
      for (int b = 0; b < batch.size(); b++) {
        for (float w : batch.weights()[b]) {
          sum += w;
        }
      }
      weightSums[k] = sum;
      float factor = (float) (batches.get(k).weight() / (float) sum);
      for (int b = 0; b < batch.size(); b++, row++) {
        System.arraycopy(batch.inputs()[b], 0, tokens, row * maxLength, batch.length());
        System.arraycopy(batch.targets()[b], 0, targets, row * maxLength, batch.length());
        System.arraycopy(batch.weights()[b], 0, weights, row * maxLength, batch.length());
        factors[row] = factor;
      }
    }
    ResidualMasks masks = ResidualMasks.draw(graph.noise.sites(), c.dropout(), c.dropPath(),
        c.imageTokens(), shapes, maxLength, config.seed(), stepsBefore);

    List<Tensor> inputs = new ArrayList<>();
    try {
      Session.Runner runner = model.session().runner()
          .feed(graph.images, keep(inputs, TensorCopies.floats(pixels, rows, 3, side, side)))
          .feed(graph.tokens, keep(inputs, TensorCopies.ints(tokens, rows, maxLength)))
          .feed(graph.targets, keep(inputs, TensorCopies.ints(targets, rows, maxLength)))
          .feed(graph.weights, keep(inputs, TensorCopies.floats(weights, rows, maxLength)))
          .feed(graph.rowFactors, keep(inputs, TensorCopies.floats(factors, rows)))
          .feed(graph.clipNorm,
              keep(inputs, TFloat32.scalarOf((float) config.gradientClipNorm())));
      for (Map.Entry<Placeholder<TFloat32>, Float> e : graph.adamW.feeds(config.beta1(),
          config.beta2(), config.weightDecay(), learningRate, stepsBefore + 1).entrySet()) {
        runner.feed(e.getKey(), keep(inputs, TFloat32.scalarOf(e.getValue())));
      }
      feedMasks(runner, inputs, graph.noise.dropoutMasks(), masks.dropout(), rows, maxLength,
          true);
      feedMasks(runner, inputs, graph.noise.pathMasks(), masks.path(), rows, maxLength, false);
      runner.fetch(graph.loss).fetch(graph.rowLosses).fetch(graph.gradientNorm)
          .addTarget(graph.update);
      float[] rowLosses;
      double norm;
      double total;
      try (Result result = runner.run()) {
        total = ((TFloat32) result.get(0)).getFloat();
        rowLosses = TensorCopies.read((TFloat32) result.get(1));
        norm = ((TFloat32) result.get(2)).getFloat();
      } finally {
        model.weightsChanged();
      }
      if (!Double.isFinite(norm)) {
        throw nonFiniteGradient(stepsBefore, norm, total);
      }
      double[] batchLosses = new double[batches.size()];
      row = 0;
      for (int k = 0; k < batches.size(); k++) {
        double sum = 0;
        for (int b = 0; b < batches.get(k).batch().size(); b++, row++) {
          sum += rowLosses[row];
        }
        batchLosses[k] = sum / weightSums[k];
      }
      return new Update(batchLosses, norm);
    } finally {
      inputs.forEach(Tensor::close);
    }
  }

  private static void feedMasks(Session.Runner runner, List<Tensor> inputs,
      List<Placeholder<TFloat32>> placeholders, float[][] values, int rows, int maxLength,
      boolean perFeature) {
    for (int s = 0; s < placeholders.size(); s++) {
      float[] mask = values[s];
      long width = perFeature ? placeholders.get(s).shape().get(1) : 1;
      runner.feed(placeholders.get(s),
          keep(inputs, TensorCopies.floats(mask, mask.length / width, width)));
    }
  }

  private static <T extends Tensor> T keep(List<Tensor> owned, T tensor) {
    owned.add(tensor);
    return tensor;
  }


  @Override
  protected Map<String, float[]> firstMoments() {
    return byName(graph.firstMoments.read(model.session()));
  }

  @Override
  protected Map<String, float[]> secondMoments() {
    return byName(graph.secondMoments.read(model.session()));
  }

  private static Map<String, float[]> byName(List<NamedTensor> tensors) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (NamedTensor t : tensors) {
      out.put(t.name(), t.data());
    }
    return out;
  }

  @Override
  protected void restoreMoments(AdamWStateFiles.State state) {
    graph.firstMoments.assign(model.session(), state.firstMoments());
    graph.secondMoments.assign(model.session(), state.secondMoments());
  }
}
