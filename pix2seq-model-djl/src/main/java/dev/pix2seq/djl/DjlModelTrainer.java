package dev.pix2seq.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.api.model.NetworkInputs;
import dev.pix2seq.api.training.AdamWStateFiles;
import dev.pix2seq.api.training.ModelTrainer;
import dev.pix2seq.api.training.StepResult;
import dev.pix2seq.api.training.TrainingBatch;
import dev.pix2seq.api.training.WeightedBatch;
import dev.pix2seq.djl.network.GradientMode;
import dev.pix2seq.djl.network.KeyValue;
import dev.pix2seq.api.network.ParameterSpec;
import dev.pix2seq.djl.network.Pass;
import dev.pix2seq.djl.network.Pix2seqNetwork;
import dev.pix2seq.djl.training.AdamW;
import dev.pix2seq.djl.training.TokenCrossEntropy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Trains a {@link DjlModel} in place: forward in training mode (dropout and drop path drawn from
 * (seed, step, batch)), weighted token cross-entropy, one backward pass per batch, global-norm
 * clipping, {@link AdamW} with decay on every rank >= 2 weight except the decoder's position
 * table. Only one trainer may step at a time per process (DJL allows one gradient collector).
 * Not thread-safe.
 */
final class DjlModelTrainer implements ModelTrainer {

  private final DjlModel model;
  private final TrainConfig config;
  private final NDManager manager;
  private final AdamW optimizer;
  private long steps;
  private boolean closed;

  DjlModelTrainer(DjlModel model, TrainConfig config) {
    model.ensureOpen();
    this.model = model;
    this.config = config;
    this.manager = model.manager().newSubManager();
    Set<String> decayed = new HashSet<>();
    for (ParameterSpec spec : model.parameters().layout().specs()) {
      if (spec.decayed()) {
        decayed.add(spec.name());
      }
    }
    this.optimizer = new AdamW(
        model.parameters().arrays(), decayed, config.beta1(), config.beta2(),
        config.weightDecay(), manager);
    for (NDArray p : model.parameters().arrays().values()) {
      p.setRequiresGradient(true);
    }
  }

  @Override
  public StepResult step(List<WeightedBatch> batches, double learningRate) {
    ensureOpen();
    if (batches.isEmpty()) {
      throw new IllegalArgumentException("a training step needs at least one batch");
    }
    if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be finite and >= 0, found "
          + learningRate);
    }
    for (WeightedBatch wb : batches) {
      checkBatch(wb.batch());
    }
    Pix2seqNetwork network = model.network();
    Map<String, NDArray> parameters = model.parameters().arrays();
    Map<String, double[]> perTask = new LinkedHashMap<>();
    double total = 0;
    try (NDManager temp = model.manager().newSubManager(); NDScope stepScope = new NDScope()) {
      try (GradientCollector collector = Engine.getEngine(DjlEngine.ENGINE_NAME)
          .newGradientCollector()) {
        for (int i = 0; i < batches.size(); i++) {
          WeightedBatch wb = batches.get(i);
          TrainingBatch batch = wb.batch();
          try (NDScope batchScope = new NDScope()) {
            Pass pass = Pass.training(temp, model.config().dropout(), model.config().dropPath(),
                config.seed(), steps, i);
            NDArray images = temp.create(NetworkInputs.pixels(batch.images(), model.config()),
                new Shape(batch.size(), 3, model.config().imageSize(),
                    model.config().imageSize()));
            NDArray memory = network.encode(pass, images);
            List<KeyValue> cross = network.crossKeysValues(memory);
            NDArray inputs = temp.create(DjlModel.flatten(batch.inputs(), batch.length()),
                new Shape(batch.size(), batch.length()));
            NDArray logits = network.logits(network.decode(pass, inputs, 0, null, cross));
            NDArray loss =
                TokenCrossEntropy.loss(temp, logits, batch.targets(), batch.weights());
            collector.backward(loss.mul(temp.create((float) wb.weight())));
            double value = loss.getFloat();
            total += wb.weight() * value;
            double[] sums = perTask.computeIfAbsent(batch.task(), t -> new double[2]);
            sums[0] += wb.weight() * value;
            sums[1] += wb.weight();
          }
        }
      }
      try (GradientMode off = GradientMode.off()) {
        Map<String, NDArray> gradients = new LinkedHashMap<>();
        List<NDArray> squares = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
          NDArray g = e.getValue().getGradient();
          gradients.put(e.getKey(), g);
          squares.add(g.square().sum());
        }
        double norm = Math.sqrt(NDArrays.stack(new NDList(squares)).sum().getFloat());
        if (!Double.isFinite(norm)) {
          zeroGradients(parameters);
          throw new ArithmeticException(
              "step " + (steps + 1) + ": gradient norm is " + norm + " (loss " + total
                  + "); weights left unchanged");
        }
        double clip = config.gradientClipNorm();
        double scale = clip > 0 && norm > clip ? clip / norm : 1.0;
        optimizer.update(parameters, gradients, steps + 1, learningRate, scale, temp);
        zeroGradients(parameters);
        steps++;
        Map<String, Double> taskLosses = new LinkedHashMap<>();
        perTask.forEach((task, sums) -> taskLosses.put(task, sums[0] / sums[1]));
        return new StepResult(steps, total, taskLosses, norm, learningRate);
      }
    } catch (RuntimeException e) {
      zeroGradients(parameters);
      throw e;
    }
  }

  private void checkBatch(TrainingBatch batch) {
    if (batch.length() > model.config().maxSequenceLength()) {
      throw new IllegalArgumentException(
          "batch of task '" + batch.task() + "' has rows of " + batch.length()
              + " tokens, more than maxSequenceLength " + model.config().maxSequenceLength());
    }
    model.checkTokens(batch.inputs(), 0);
    model.checkTokens(batch.targets(), 0);
  }

  private static void zeroGradients(Map<String, NDArray> parameters) {
    for (NDArray p : parameters.values()) {
      JniUtils.zeroGrad((PtNDArray) p);
    }
  }

  @Override
  public long steps() {
    return steps;
  }

  @Override
  public void saveState(Path dir) throws CheckpointException {
    ensureOpen();
    Map<String, float[]> first = new LinkedHashMap<>();
    Map<String, float[]> second = new LinkedHashMap<>();
    for (ParameterSpec spec : model.parameters().layout().specs()) {
      first.put(spec.name(), optimizer.firstMoment(spec.name()).toFloatArray());
      second.put(spec.name(), optimizer.secondMoment(spec.name()).toFloatArray());
    }
    AdamWStateFiles.write(dir, model.parameters().layout(), first, second, steps);
  }

  @Override
  public void loadState(Path dir) throws CheckpointException {
    ensureOpen();
    AdamWStateFiles.State state = AdamWStateFiles.read(dir, model.parameters().layout());
    for (ParameterSpec spec : model.parameters().layout().specs()) {
      optimizer.restore(spec.name(), state.firstMoments().get(spec.name()).data(),
          state.secondMoments().get(spec.name()).data());
    }
    steps = state.step();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the trainer has been closed");
    }
    model.ensureOpen();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      if (!model.isClosed()) {
        for (NDArray p : model.parameters().arrays().values()) {
          p.setRequiresGradient(false);
        }
        manager.close();
      }
    }
  }
}
