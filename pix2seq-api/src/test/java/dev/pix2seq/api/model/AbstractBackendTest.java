package dev.pix2seq.api.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.checkpoint.NamedTensor;
import dev.pix2seq.api.checkpoint.SafeTensors;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.api.network.InitialWeights;
import dev.pix2seq.api.network.ParameterLayout;
import dev.pix2seq.api.testing.ModelFixtures;
import dev.pix2seq.api.training.ModelTrainer;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared half of every backend: weights in, checks, capabilities. */
class AbstractBackendTest {

  private static final ModelConfig CONFIG = ModelFixtures.tinyConfig(false, 1, 1);

  /** A model that only remembers what it was built from. */
  record BuiltModel(ParameterLayout layout, Map<String, NamedTensor> values, Device device)
      implements Pix2seqModel {

    @Override
    public ModelConfig config() {
      return layout.config();
    }

    @Override
    public int vocabSize() {
      return layout.vocabSize();
    }

    @Override
    public ImageEncoder encoder() {
      throw new UnsupportedOperationException();
    }

    @Override
    public SequenceDecoder decoder() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void saveWeights(Path dir) throws CheckpointException {
      SafeTensors.write(dir.resolve(AbstractPix2seqModel.WEIGHTS_FILE), values.values(),
          Map.of(AbstractPix2seqModel.FORMAT_KEY, AbstractPix2seqModel.FORMAT_VALUE));
    }

    @Override
    public void close() {}
  }

  static final class InferenceOnly extends AbstractBackend<BuiltModel> {
    InferenceOnly() {
      super("inference-only", BuiltModel.class, BuiltModel::new, null);
    }
  }

  /** Records the models its trainer factory is given; the trainer itself is not needed. */
  static final class Training extends AbstractBackend<BuiltModel> {
    final List<BuiltModel> trained;

    Training(List<BuiltModel> trained) {
      super("training", BuiltModel.class, BuiltModel::new, (model, config) -> {
        trained.add(model);
        return null;
      });
      this.trained = trained;
    }
  }

  @Test
  void createBuildsTheLayoutWithTheSharedInitialWeights() {
    BuiltModel model = (BuiltModel) new InferenceOnly()
        .create(CONFIG, ModelFixtures.VOCAB, Device.CPU, 5);
    ParameterLayout layout = ParameterLayout.of(CONFIG, ModelFixtures.VOCAB);
    List<NamedTensor> expected = InitialWeights.draw(layout, 5);
    assertEquals(Device.CPU, model.device());
    assertEquals(layout.specs().size(), model.values().size());
    List<NamedTensor> built = new ArrayList<>(model.values().values());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).name(), built.get(i).name(), "layout order");
      assertArrayEquals(expected.get(i).data(), built.get(i).data(), expected.get(i).name());
    }
  }

  @Test
  void loadReadsExactlyTheSavedTensors(@TempDir Path dir) throws Exception {
    Backend backend = new InferenceOnly();
    BuiltModel saved = (BuiltModel) backend.create(CONFIG, ModelFixtures.VOCAB, Device.CPU, 3);
    saved.saveWeights(dir);
    BuiltModel loaded = (BuiltModel) backend.load(dir, CONFIG, ModelFixtures.VOCAB, Device.GPU);
    assertEquals(Device.GPU, loaded.device());
    for (String name : saved.values().keySet()) {
      assertArrayEquals(saved.values().get(name).data(), loaded.values().get(name).data(), name);
    }
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> backend.load(dir, CONFIG, ModelFixtures.VOCAB + 1, Device.CPU));
    assertTrue(e.getMessage().contains(AbstractPix2seqModel.WEIGHTS_FILE), e.getMessage());
  }

  @Test
  void anInferenceOnlyBackendSaysSoAndRefusesToTrain() {
    Backend backend = new InferenceOnly();
    assertFalse(backend.trains());
    BuiltModel model = (BuiltModel) backend.create(CONFIG, ModelFixtures.VOCAB, Device.CPU, 1);
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> backend.trainer(model, TrainConfig.defaults()));
    assertEquals("the inference-only backend runs inference only and cannot train",
        e.getMessage());
    assertTrue(backend.exporters().isEmpty());
  }

  @Test
  void aTrainingBackendTrainsOnlyItsOwnModels() {
    Training backend = new Training(new ArrayList<>());
    assertTrue(backend.trains());
    BuiltModel own = (BuiltModel) backend.create(CONFIG, ModelFixtures.VOCAB, Device.CPU, 1);
    backend.trainer(own, TrainConfig.defaults());
    assertEquals(1, backend.trained.size());
    assertSame(own, backend.trained.get(0));

    Pix2seqModel foreign = (Pix2seqModel) Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {Pix2seqModel.class}, (p, m, a) -> null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> backend.trainer(foreign, TrainConfig.defaults()));
    assertTrue(e.getMessage().startsWith("the training backend can only train its own models"),
        e.getMessage());
  }
}
