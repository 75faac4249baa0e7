package dev.pix2seq.djl;

import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.api.model.Backend;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.training.ModelTrainer;
import java.nio.file.Path;

/**
 * The Pix2seq network on DJL's PyTorch engine. Creating the backend does no work; the native
 * library loads on the first {@link #create} or {@link #load}. Weights use the backend-neutral
 * names and layouts of {@code docs/checkpoint-format.md}.
 *
 * <pre>{@code
 * Backend backend = new DjlBackend();
 * try (Pix2seqModel model = backend.create(ModelConfig.preset("tiny"), vocabSize, Device.CPU, 42);
 *     ImageFeatures features = model.encoder().encode(images);
 *     DecodingSession session = model.decoder().open(features, new int[] {0})) {
 *   float[][] logits = session.feed(new int[][] {prompt});
 * }
 * }</pre>
 */
public final class DjlBackend implements Backend {

  /** The backend's name in configs: {@value}. */
  public static final String NAME = "djl";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Pix2seqModel create(ModelConfig config, int vocabSize, Device device, long seed) {
    return DjlModel.create(config, vocabSize, device, seed);
  }

  @Override
  public Pix2seqModel load(Path dir, ModelConfig config, int vocabSize, Device device)
      throws CheckpointException {
    return DjlModel.load(dir, config, vocabSize, device);
  }

  @Override
  public ModelTrainer trainer(Pix2seqModel model, TrainConfig config) {
    return new DjlModelTrainer(Backend.ownModel(NAME, model, DjlModel.class), config);
  }
}
