package dev.pix2seq.api.model;

import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.checkpoint.NamedTensor;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.api.network.InitialWeights;
import dev.pix2seq.api.network.ParameterLayout;
import dev.pix2seq.api.training.ModelTrainer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The {@link Backend} around an engine's model class: the parameter layout, the initial weights
 * ({@link InitialWeights}), the exact reading of a checkpoint ({@link
 * AbstractPix2seqModel#readWeights}) and the check that a model to train is the backend's own
 * all happen here, so an engine supplies only how to build its model from named tensors and,
 * when it trains, its trainer.
 *
 * <pre>{@code
 * public final class MyBackend extends AbstractBackend<MyModel> {
 *   public MyBackend() {
 *     super("my", MyModel.class, MyModel::new, MyTrainer::new);
 *   }
 * }
 * }</pre>
 *
 * @param <M> the engine's model class
 */
public abstract class AbstractBackend<M extends Pix2seqModel> implements Backend {

  /** Builds an engine's model holding given weights. */
  @FunctionalInterface
  public interface ModelFactory<M> {

    /**
     * A model of {@code layout} on {@code device} whose weights are {@code values}: exactly the
     * parameters of {@code layout}, in its order, each with its shape (already checked).
     *
     * @throws IllegalArgumentException if a GPU is requested but none is usable
     */
    M build(ParameterLayout layout, Map<String, NamedTensor> values, Device device);
  }

  /** Creates an engine's trainer for one of its models. */
  @FunctionalInterface
  public interface TrainerFactory<M> {

    /** A trainer updating {@code model}'s weights in place with {@code config}'s settings. */
    ModelTrainer trainer(M model, TrainConfig config);
  }

  private final String name;
  private final Class<M> modelType;
  private final ModelFactory<M> models;
  private final TrainerFactory<M> trainers;

  /**
   * @param name the backend's name in configs
   * @param modelType the engine's model class; {@link #trainer} accepts only its instances
   * @param models builds a model from its weights
   * @param trainers creates trainers, or {@code null} for a backend that only runs inference
   */
  protected AbstractBackend(String name, Class<M> modelType, ModelFactory<M> models,
      TrainerFactory<M> trainers) {
    this.name = Objects.requireNonNull(name, "name");
    this.modelType = Objects.requireNonNull(modelType, "modelType");
    this.models = Objects.requireNonNull(models, "models");
    this.trainers = trainers;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final Pix2seqModel create(ModelConfig config, int vocabSize, Device device, long seed) {
    ParameterLayout layout = ParameterLayout.of(config, vocabSize);
    Map<String, NamedTensor> values = new LinkedHashMap<>();
    for (NamedTensor t : InitialWeights.draw(layout, seed)) {
      values.put(t.name(), t);
    }
    return models.build(layout, values, device);
  }

  @Override
  public final Pix2seqModel load(Path dir, ModelConfig config, int vocabSize, Device device)
      throws CheckpointException {
    ParameterLayout layout = ParameterLayout.of(config, vocabSize);
    return models.build(layout, AbstractPix2seqModel.readWeights(dir, layout), device);
  }

  @Override
  public final boolean trains() {
    return trainers != null;
  }

  @Override
  public final ModelTrainer trainer(Pix2seqModel model, TrainConfig config) {
    if (trainers == null) {
      throw new UnsupportedOperationException(
          "the " + name + " backend runs inference only and cannot train");
    }
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(config, "config");
    if (!modelType.isInstance(model)) {
      throw new IllegalArgumentException("the " + name + " backend can only train its own "
          + "models, found " + model.getClass().getName());
    }
    return trainers.trainer(modelType.cast(model), config);
  }
}
