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
import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.api.model.NetworkInputs;
import dev.pix2seq.api.training.AbstractModelTrainer;
import dev.pix2seq.api.training.AdamWStateFiles;
import dev.pix2seq.api.training.TrainingBatch;
import dev.pix2seq.api.training.WeightedBatch;
import dev.pix2seq.djl.network.GradientMode;
import dev.pix2seq.djl.network.KeyValue;
import dev.pix2seq.api.network.ParameterSpec;
import dev.pix2seq.djl.network.Pass;
import dev.pix2seq.djl.network.Pix2seqNetwork;
import dev.pix2seq.djl.training.AdamW;
import dev.pix2seq.djl.training.TokenCrossEntropy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Trains a {@link DjlModel} in place: forward in training mode (dropout and drop path drawn from
 * (seed, step, batch)), weighted token cross-entropy, one backward pass per batch, global-norm
 * clipping, {@link AdamW} with decay on every rank >= 2 weight except the decoder's position
 * table. Only one trainer may step at a time per process (DJL allows one gradient collector).
 * Not thread-safe.
 */
final class DjlModelTrainer extends AbstractModelTrainer {

  private final DjlModel model;
  private final NDManager manager;
  private final AdamW optimizer;

  DjlModelTrainer(DjlModel model, TrainConfig config) {
    super(model, config);
    this.model = model;
    this.manager = model.manager().newSubManager();
    Set<String> decayed = new HashSet<>();
    for (ParameterSpec spec : model.layout().specs()) {
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
  protected Update update(List<WeightedBatch> batches, double learningRate, long stepsBefore) {
    TrainConfig config = config();
    Pix2seqNetwork network = model.network();
    Map<String, NDArray> parameters = model.parameters().arrays();
    double[] batchLosses = new double[batches.size()];
    double total = 0;
    try (NDManager temp = model.manager().newSubManager(); NDScope stepScope = new NDScope()) {
      try (GradientCollector collector = Engine.getEngine(DjlEngine.ENGINE_NAME)
          .newGradientCollector()) {
        for (int i = 0; i < batches.size(); i++) {
          WeightedBatch wb = batches.get(i);
          TrainingBatch batch = wb.batch();
          try (NDScope batchScope = new NDScope()) {
            Pass pass = Pass.training(temp, model.config().dropout(), model.config().dropPath(),
                config.seed(), stepsBefore, i);
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
            batchLosses[i] = loss.getFloat();
            total += wb.weight() * batchLosses[i];
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
          throw nonFiniteGradient(stepsBefore, norm, total);
        }
        double clip = config.gradientClipNorm();
        double scale = clip > 0 && norm > clip ? clip / norm : 1.0;
        optimizer.update(parameters, gradients, stepsBefore + 1, learningRate, scale, temp);
        zeroGradients(parameters);
        return new Update(batchLosses, norm);
      }
    } catch (RuntimeException e) {
      zeroGradients(parameters);
      throw e;
    }
  }

  private static void zeroGradients(Map<String, NDArray> parameters) {
    for (NDArray p : parameters.values()) {
      JniUtils.zeroGrad((PtNDArray) p);
    }
  }


  @Override
  protected Map<String, float[]> firstMoments() {
    return moments(optimizer::firstMoment);
  }

  @Override
  protected Map<String, float[]> secondMoments() {
    return moments(optimizer::secondMoment);
  }

  private Map<String, float[]> moments(Function<String, NDArray> moment) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (ParameterSpec spec : model.layout().specs()) {
      out.put(spec.name(), moment.apply(spec.name()).toFloatArray());
    }
    return out;
  }

  @Override
  protected void restoreMoments(AdamWStateFiles.State state) {
    for (ParameterSpec spec : model.layout().specs()) {
      optimizer.restore(spec.name(), state.firstMoments().get(spec.name()).data(),
          state.secondMoments().get(spec.name()).data());
    }
  }

  @Override
  protected void release() {
    if (!model.isClosed()) {
      for (NDArray p : model.parameters().arrays().values()) {
        p.setRequiresGradient(false);
      }
      manager.close();
    }
  }
}
