package dev.pix2seq.runtime.backend;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.checkpoint.NamedTensor;
import dev.pix2seq.api.checkpoint.SafeTensors;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.api.model.Backend;
import dev.pix2seq.api.model.DecodingSession;
import dev.pix2seq.api.model.ImageEncoder;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.ModelExporter;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.model.SequenceDecoder;
import dev.pix2seq.api.training.ModelTrainer;
import dev.pix2seq.api.training.StepResult;
import dev.pix2seq.api.training.TrainingBatch;
import dev.pix2seq.api.training.WeightedBatch;
import dev.pix2seq.api.value.ImageTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pure-Java backend for tests of the backend-neutral runtime. The "network" is a few floats:
 * {@code fake.weights} (8 values) and {@code fake.bias} (one per token); logits are a
 * deterministic function of them, the tokens and the images. Its trainer records every step's
 * batches and learning rate and updates the weights with a momentum rule computed from the
 * batches, so two runs end with equal weights exactly when they saw equal batches; the momentum
 * is its optimiser state.
 */
public final class FakeBackend implements Backend {
  public static final String NAME = "fake";
  static final int WEIGHTS = 8;

  private final String name;
  private final List<ModelExporter> exporters;
  private final boolean trains;
  private final List<FakeTrainer> trainers = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger savesLeft = new AtomicInteger(Integer.MAX_VALUE);

  public FakeBackend() {
    this(NAME);
  }

  FakeBackend(String name) {
    this(name, List.of());
  }

  /** A fake backend of this name offering these export formats. */
  FakeBackend(String name, List<ModelExporter> exporters) {
    this(name, exporters, true);
  }

  private FakeBackend(String name, List<ModelExporter> exporters, boolean trains) {
    this.name = name;
    this.exporters = List.copyOf(exporters);
    this.trains = trains;
  }

  /** A fake backend that declares it cannot train. */
  public static FakeBackend inferenceOnly() {
    return new FakeBackend("fake-inference", List.of(), false);
  }

  @Override
  public boolean trains() {
    return trains;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<ModelExporter> exporters() {
    return exporters;
  }

  /** Lets {@code count} more weight saves succeed; the next one writes half a file and fails. */
  public void failWeightSavesAfter(int count) {
    savesLeft.set(count);
  }

  /** The trainers created so far, in order. */
  public List<FakeTrainer> trainers() {
    return List.copyOf(trainers);
  }

  public FakeTrainer lastTrainer() {
    return trainers.get(trainers.size() - 1);
  }

  @Override
  public FakeModel create(ModelConfig config, int vocabSize, Device device, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] w = new float[WEIGHTS];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (r.nextDouble() - 0.5);
    }
    float[] bias = new float[vocabSize];
    for (int i = 0; i < bias.length; i++) {
      bias[i] = (float) (r.nextDouble() * 0.01);
    }
    return new FakeModel(config, w, bias);
  }

  @Override
  public FakeModel load(Path dir, ModelConfig config, int vocabSize, Device device)
      throws CheckpointException {
    Path file = dir.resolve("weights.safetensors");
    SafeTensors.Contents c = SafeTensors.read(file);
    return new FakeModel(config, c.require(file, "fake.weights", WEIGHTS).data().clone(),
        c.require(file, "fake.bias", vocabSize).data().clone());
  }

  @Override
  public ModelTrainer trainer(Pix2seqModel model, TrainConfig config) {
    FakeTrainer t = new FakeTrainer((FakeModel) model);
    trainers.add(t);
    return t;
  }

  /** The fake network. */
  public final class FakeModel implements Pix2seqModel {
    private final ModelConfig config;
    final float[] weights;
    final float[] bias;

    FakeModel(ModelConfig config, float[] weights, float[] bias) {
      this.config = config;
      this.weights = weights;
      this.bias = bias;
    }

    public float[] weights() {
      return weights.clone();
    }

    @Override
    public ModelConfig config() {
      return config;
    }

    @Override
    public int vocabSize() {
      return bias.length;
    }

    @Override
    public ImageEncoder encoder() {
      return images -> {
        float[] means = new float[images.size()];
        for (int i = 0; i < means.length; i++) {
          ImageTensor t = images.get(i);
          if (t.width() != config.imageSize() || t.height() != config.imageSize()) {
            throw new IllegalArgumentException("image of " + t.width() + "x" + t.height()
                + ", expected " + config.imageSize());
          }
          double s = 0;
          for (float p : t.pixels()) {
            s += p;
          }
          means[i] = (float) (s / t.pixels().length);
        }
        return new FakeFeatures(means);
      };
    }

    @Override
    public SequenceDecoder decoder() {
      return new SequenceDecoder() {
        @Override
        public DecodingSession open(ImageFeatures features, int[] imageOfRow) {
          return new FakeSession(this, features, imageOfRow.clone());
        }

        @Override
        public float[][][] logits(ImageFeatures features, int[] imageOfRow, int[][] tokens) {
          float[] means = ((FakeFeatures) features).means;
          float[][][] out = new float[tokens.length][][];
          for (int r = 0; r < tokens.length; r++) {
            out[r] = new float[tokens[r].length][bias.length];
            for (int t = 0; t < tokens[r].length; t++) {
              for (int v = 0; v < bias.length; v++) {
                out[r][t][v] = bias[v]
                    + weights[(tokens[r][t] + v) % WEIGHTS] * means[imageOfRow[r]];
              }
            }
          }
          return out;
        }

        @Override
        public int maxSequenceLength() {
          return config.maxSequenceLength();
        }
      };
    }

    @Override
    public void saveWeights(Path dir) throws CheckpointException {
      Path file = dir.resolve("weights.safetensors");
      if (savesLeft.getAndDecrement() <= 0) {
        try {
          Files.write(file, new byte[] {1, 2, 3});
        } catch (IOException e) {
          throw new CheckpointException(file + ": " + e.getMessage(), e);
        }
        throw new CheckpointException(file + ": injected failure while writing weights");
      }
      SafeTensors.write(file, List.of(
          new NamedTensor("fake.weights", new int[] {WEIGHTS}, weights.clone()),
          new NamedTensor("fake.bias", new int[] {bias.length}, bias.clone())), Map.of());
    }

    @Override
    public void close() {}
  }

  /** Each row's logits at the last token fed, which is all the fake network looks at. */
  private static final class FakeSession implements DecodingSession {
    private final SequenceDecoder decoder;
    private final ImageFeatures features;
    private int[] imageOfRow;

    FakeSession(SequenceDecoder decoder, ImageFeatures features, int[] imageOfRow) {
      this.decoder = decoder;
      this.features = features;
      this.imageOfRow = imageOfRow;
    }

    @Override
    public int rows() {
      return imageOfRow.length;
    }

    @Override
    public int vocabSize() {
      return decoder.logits(features, new int[] {0}, new int[][] {{0}})[0][0].length;
    }

    @Override
    public float[][] feed(int[][] tokens) {
      float[][][] all = decoder.logits(features, imageOfRow, tokens);
      float[][] last = new float[all.length][];
      for (int r = 0; r < all.length; r++) {
        last[r] = all[r][all[r].length - 1];
      }
      return last;
    }

    @Override
    public void select(int[] rows) {
      int[] kept = new int[rows.length];
      for (int i = 0; i < rows.length; i++) {
        kept[i] = imageOfRow[rows[i]];
      }
      imageOfRow = kept;
    }

    @Override
    public void close() {}
  }

  private record FakeFeatures(float[] means) implements ImageFeatures {
    @Override
    public int batchSize() {
      return means.length;
    }

    @Override
    public void close() {}
  }

  /** Records batches and updates the fake weights with momentum. */
  public static final class FakeTrainer implements ModelTrainer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final FakeModel model;
    private float[] momentum = new float[WEIGHTS];
    private long steps;
    private final List<List<WeightedBatch>> batches = new ArrayList<>();
    private final List<Double> learningRates = new ArrayList<>();

    FakeTrainer(FakeModel model) {
      this.model = model;
    }

    /** The batches of each step this trainer took. */
    public List<List<WeightedBatch>> batches() {
      return batches;
    }

    public List<Double> learningRates() {
      return learningRates;
    }

    public float[] momentum() {
      return momentum.clone();
    }

    @Override
    public StepResult step(List<WeightedBatch> stepBatches, double learningRate) {
      batches.add(List.copyOf(stepBatches));
      learningRates.add(learningRate);
      float[] gradient = new float[WEIGHTS];
      double loss = 0;
      Map<String, Double> taskLosses = new LinkedHashMap<>();
      for (WeightedBatch wb : stepBatches) {
        TrainingBatch b = wb.batch();
        double weightSum = 0;
        double batchLoss = 0;
        for (int r = 0; r < b.size(); r++) {
          float pixel = b.images().get(r).pixels()[r % b.images().get(r).pixels().length];
          for (int t = 0; t < b.length(); t++) {
            float w = b.weights()[r][t];
            if (w == 0) {
              continue;
            }
            int k = Math.floorMod(b.targets()[r][t] * 31 + b.inputs()[r][t] * 7, WEIGHTS);
            weightSum += w;
            batchLoss += w * (1 + Math.abs(model.weights[k]));
            gradient[k] += (float) (wb.weight() * w * (0.001 * (b.targets()[r][t] % 13) + pixel));
          }
        }
        batchLoss /= weightSum;
        taskLosses.merge(b.task(), batchLoss, Double::sum);
        loss += wb.weight() * batchLoss;
      }
      double norm = 0;
      for (int k = 0; k < WEIGHTS; k++) {
        momentum[k] = 0.9f * momentum[k] + 0.1f * gradient[k];
        model.weights[k] -= (float) learningRate * momentum[k];
        norm += (double) gradient[k] * gradient[k];
      }
      steps++;
      return new StepResult(steps, loss, taskLosses, Math.sqrt(norm), learningRate);
    }

    @Override
    public long steps() {
      return steps;
    }

    @Override
    public void saveState(Path dir) throws CheckpointException {
      try {
        Files.createDirectories(dir);
        SafeTensors.write(dir.resolve("optimizer.safetensors"),
            List.of(new NamedTensor("m.fake.weights", new int[] {WEIGHTS}, momentum.clone())),
            Map.of());
        Files.write(dir.resolve("optimizer.json"),
            JSON.writeValueAsBytes(Map.of("steps", steps)));
      } catch (IOException e) {
        throw new CheckpointException(dir + ": " + e.getMessage(), e);
      }
    }

    @Override
    public void loadState(Path dir) throws CheckpointException {
      Path file = dir.resolve("optimizer.safetensors");
      momentum = SafeTensors.read(file).require(file, "m.fake.weights", WEIGHTS).data().clone();
      try {
        steps = JSON.readTree(dir.resolve("optimizer.json").toFile()).get("steps").asLong();
      } catch (IOException e) {
        throw new CheckpointException(dir + ": " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {}
  }

  /** A digest of a step's batches: equal digests mean equal batches (in all practice). */
  public static long digest(List<WeightedBatch> step) {
    long h = 17;
    for (WeightedBatch wb : step) {
      TrainingBatch b = wb.batch();
      h = h * 31 + b.task().hashCode();
      h = h * 31 + Double.hashCode(wb.weight());
      h = h * 31 + Arrays.deepHashCode(b.inputs());
      h = h * 31 + Arrays.deepHashCode(b.targets());
      h = h * 31 + Arrays.deepHashCode(b.weights());
      for (ImageTensor t : b.images()) {
        h = h * 31 + Arrays.hashCode(t.pixels());
      }
    }
    return h;
  }
}
