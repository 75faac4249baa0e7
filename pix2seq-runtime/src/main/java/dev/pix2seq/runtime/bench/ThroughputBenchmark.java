package dev.pix2seq.runtime.bench;

import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.api.model.Backend;
import dev.pix2seq.api.model.DecodingSession;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.sampling.LogitMath;
import dev.pix2seq.api.training.ModelTrainer;
import dev.pix2seq.api.training.TrainingBatch;
import dev.pix2seq.api.training.WeightedBatch;
import dev.pix2seq.api.value.ImageTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Measures a backend's real work on random weights and inputs: greedy decoding throughput with
 * the key/value cache and with full recomputation (the decoder re-reads the whole prefix at every
 * step, as the reference implementation does), and training throughput (forward, backward and AdamW update). Every figure is a
 * median over repetitions after warm-up runs.
 */
public final class ThroughputBenchmark {

  /**
   * What to measure.
   *
   * @param batchSizes decode batch sizes, e.g. 1 and 8
   * @param decodeTokens tokens generated per row after a one-token prompt
   * @param trainBatchSize images per training step
   * @param trainSequenceLength tokens per training row
   * @param warmup untimed repetitions before measuring
   * @param repetitions timed repetitions (the median is reported)
   */
  public record Plan(
      List<Integer> batchSizes, int decodeTokens, int trainBatchSize, int trainSequenceLength,
      int warmup, int repetitions) {

    public Plan {
      batchSizes = List.copyOf(batchSizes);
      if (batchSizes.isEmpty() || batchSizes.stream().anyMatch(b -> b < 1)) {
        throw new IllegalArgumentException("batch sizes must be >= 1, found " + batchSizes);
      }
      if (decodeTokens < 1 || trainBatchSize < 1 || trainSequenceLength < 2 || warmup < 0
          || repetitions < 1) {
        throw new IllegalArgumentException(
            "benchmark plan needs decodeTokens >= 1, trainBatchSize >= 1, trainSequenceLength "
                + ">= 2, warmup >= 0 and repetitions >= 1");
      }
    }

    /** Batch 1 and 8, 100 tokens, training batch 8 of 100 tokens, 1 warm-up, 3 repetitions. */
    public static Plan standard() {
      return new Plan(List.of(1, 8), 100, 8, 100, 1, 3);
    }
  }

  /** One decode measurement: tokens generated per second over all rows. */
  public record DecodeResult(int batchSize, int tokensPerRow, double cachedTokensPerSecond,
      double recomputeTokensPerSecond) {

    /** How many times faster the cache is. */
    public double speedup() {
      return cachedTokensPerSecond / recomputeTokensPerSecond;
    }
  }

  /** Training throughput. */
  public record TrainResult(int batchSize, int sequenceLength, double imagesPerSecond,
      double secondsPerStep) {}

  /** Everything measured in one run; {@code train} is null for a backend that does not train. */
  public record Report(String backend, ModelConfig model, List<DecodeResult> decode,
      TrainResult train) {

    public Report {
      decode = List.copyOf(decode);
    }
  }

  private final Backend backend;
  private final ModelConfig config;
  private final Device device;
  private final int vocabSize;

  public ThroughputBenchmark(Backend backend, ModelConfig config, int vocabSize, Device device) {
    this.backend = backend;
    this.config = config;
    this.vocabSize = vocabSize;
    this.device = device;
  }

  /**
   * Runs the plan; {@code progress} receives one line per finished measurement.
   *
   * @throws IllegalArgumentException if the plan's sequences do not fit the model
   */
  public Report run(Plan plan, Consumer<String> progress) {
    if (plan.decodeTokens() + 1 > config.maxSequenceLength()
        || plan.trainSequenceLength() > config.maxSequenceLength()) {
      throw new IllegalArgumentException(
          "benchmark sequences must fit maxSequenceLength " + config.maxSequenceLength());
    }
    List<DecodeResult> decode = new ArrayList<>();
    TrainResult train;
    try (Pix2seqModel model = backend.create(config, vocabSize, device, 1)) {
      for (int batch : plan.batchSizes()) {
        double cached = median(plan, () -> decodeCached(model, batch, plan.decodeTokens()));
        double recompute = median(plan, () -> decodeRecompute(model, batch, plan.decodeTokens()));
        int total = batch * plan.decodeTokens();
        DecodeResult r = new DecodeResult(batch, plan.decodeTokens(), total / cached,
            total / recompute);
        progress.accept(String.format(
            "decode batch %d: %.0f tokens/s with cache, %.0f tokens/s recomputing (x%.1f)",
            batch, r.cachedTokensPerSecond(), r.recomputeTokensPerSecond(), r.speedup()));
        decode.add(r);
      }
      if (!backend.trains()) {
        progress.accept("train: skipped, the " + backend.name() + " backend does not train");
        return new Report(backend.name(), config, decode, null);
      }
      TrainConfig trainConfig = TrainConfig.defaults();
      try (ModelTrainer trainer = backend.trainer(model, trainConfig)) {
        TrainingBatch batch = randomBatch(plan.trainBatchSize(), plan.trainSequenceLength(), 7);
        double seconds = median(plan,
            () -> time(() -> trainer.step(List.of(new WeightedBatch(batch, 1)), 1e-4)));
        train = new TrainResult(plan.trainBatchSize(), plan.trainSequenceLength(),
            plan.trainBatchSize() / seconds, seconds);
        progress.accept(String.format(
            "train batch %d x %d tokens: %.2f images/s (%.3f s/step)", train.batchSize(),
            train.sequenceLength(), train.imagesPerSecond(), train.secondsPerStep()));
      }
    }
    return new Report(backend.name(), config, decode, train);
  }

  /** Seconds to generate {@code tokens} per row with the cache (images encoded beforehand). */
  private double decodeCached(Pix2seqModel model, int batch, int tokens) {
    try (ImageFeatures features = model.encoder().encode(randomImages(batch, 11))) {
      return time(() -> {
        try (DecodingSession session = model.decoder().open(features, identity(batch))) {
          int[][] next = fill(batch, 10);
          for (int t = 0; t < tokens; t++) {
            next = argmaxColumn(session.feed(next));
          }
        }
      });
    }
  }

  /**
   * Seconds to generate {@code tokens} per row without a cache: every step opens a fresh session
   * and feeds the whole prefix, so keys and values of all earlier tokens (and the image's
   * cross-attention keys and values) are recomputed, as a decoder without a cache must.
   */
  private double decodeRecompute(Pix2seqModel model, int batch, int tokens) {
    try (ImageFeatures features = model.encoder().encode(randomImages(batch, 11))) {
      return time(() -> {
        int[][] prefix = fill(batch, 10);
        for (int t = 0; t < tokens; t++) {
          float[][] logits;
          try (DecodingSession session = model.decoder().open(features, identity(batch))) {
            logits = session.feed(prefix);
          }
          int[][] grown = new int[batch][];
          for (int r = 0; r < batch; r++) {
            grown[r] = Arrays.copyOf(prefix[r], prefix[r].length + 1);
            grown[r][prefix[r].length] = LogitMath.argmax(logits[r]);
          }
          prefix = grown;
        }
      });
    }
  }

  private TrainingBatch randomBatch(int rows, int length, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int[][] inputs = new int[rows][length];
    int[][] targets = new int[rows][length];
    float[][] weights = new float[rows][length];
    for (int r = 0; r < rows; r++) {
      for (int t = 0; t < length; t++) {
        inputs[r][t] = rng.nextInt(vocabSize);
        targets[r][t] = rng.nextInt(vocabSize);
        weights[r][t] = 1;
      }
    }
    return new TrainingBatch("bench", randomImages(rows, seed), inputs, targets, weights);
  }

  private List<ImageTensor> randomImages(int count, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int side = config.imageSize();
    List<ImageTensor> images = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      float[] data = new float[3 * side * side];
      for (int j = 0; j < data.length; j++) {
        data[j] = (float) rng.nextDouble();
      }
      images.add(new ImageTensor(data, 3, side, side));
    }
    return images;
  }

  private static int[] identity(int n) {
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = i;
    }
    return rows;
  }

  private static int[][] fill(int rows, int token) {
    int[][] out = new int[rows][1];
    for (int[] row : out) {
      row[0] = token;
    }
    return out;
  }

  private static int[][] argmaxColumn(float[][] logits) {
    int[][] out = new int[logits.length][1];
    for (int r = 0; r < logits.length; r++) {
      out[r][0] = LogitMath.argmax(logits[r]);
    }
    return out;
  }

  private interface Timed {
    double seconds();
  }

  private static double median(Plan plan, Timed run) {
    for (int i = 0; i < plan.warmup(); i++) {
      run.seconds();
    }
    double[] times = new double[plan.repetitions()];
    for (int i = 0; i < times.length; i++) {
      times[i] = run.seconds();
    }
    Arrays.sort(times);
    return times[times.length / 2];
  }

  private static double time(Runnable work) {
    long start = System.nanoTime();
    work.run();
    return (System.nanoTime() - start) / 1e9;
  }
}
