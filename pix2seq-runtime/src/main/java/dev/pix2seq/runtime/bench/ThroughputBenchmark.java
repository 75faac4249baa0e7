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
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Measures a backend's real work on random weights and inputs: greedy decoding throughput with
 * the key/value cache and with full recomputation (the decoder re-reads the whole prefix at every
 * step, as the reference implementation does), with a breakdown of the cached decode, and
 * training throughput (forward, backward and AdamW update). Every figure is a median over
 * repetitions after warm-up runs, with the fastest and slowest of them.
 */
public final class ThroughputBenchmark {

  /**
   * What to measure.
   *
   * @param batchSizes decode batch sizes, e.g. 1 and 8
   * @param decodeTokens tokens generated per row after a one-token prompt
   * @param trainBatchSize images per training step; 0 measures no training
   * @param trainSequenceLength tokens per training row
   * @param warmup untimed repetitions before measuring, at least
   * @param warmupSeconds untimed repetitions go on until they took this long (the JIT compiles a
   *     backend's Java side of a step after thousands of calls)
   * @param repetitions timed repetitions (the median is reported)
   */
  public record Plan(
      List<Integer> batchSizes, int decodeTokens, int trainBatchSize, int trainSequenceLength,
      int warmup, double warmupSeconds, int repetitions) {

    public Plan {
      batchSizes = List.copyOf(batchSizes);
      if (batchSizes.isEmpty() || batchSizes.stream().anyMatch(b -> b < 1)) {
        throw new IllegalArgumentException("batch sizes must be >= 1, found " + batchSizes);
      }
      if (decodeTokens < 1 || trainBatchSize < 0 || trainSequenceLength < 2 || warmup < 0
          || !(warmupSeconds >= 0) || Double.isInfinite(warmupSeconds) || repetitions < 1) {
        throw new IllegalArgumentException(
            "benchmark plan needs decodeTokens >= 1, trainBatchSize >= 0, trainSequenceLength "
                + ">= 2, warmup >= 0, a finite warmupSeconds >= 0 and repetitions >= 1");
      }
    }

    /**
     * Batch 1 and 8, 100 tokens, training batch 8 of 100 tokens, warm-up runs for at least one
     * run and {@value #WARMUP_SECONDS} s, 3 repetitions.
     */
    public static Plan standard() {
      return new Plan(List.of(1, 8), 100, 8, 100, 1, WARMUP_SECONDS, 3);
    }

    /** The standard plan's least warm-up time per figure, in seconds. */
    public static final double WARMUP_SECONDS = 3;
  }

  /** A median over repetitions with the fastest and slowest of them. */
  public record Spread(double median, double min, double max) {

    static Spread of(double[] values) {
      double[] sorted = values.clone();
      Arrays.sort(sorted);
      return new Spread(sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1]);
    }

    /** {@code total / x} of each value: a rate from times (min and max swap). */
    Spread rate(double total) {
      return new Spread(total / median, total / max, total / min);
    }
  }

  /**
   * Where one cached decode of a batch spends its time, in seconds (medians): encoding the
   * images, opening the session (the cross-attention keys and values), the prompt step, the mean
   * later step (the engine's work and the logits' copy to Java), and the mean Java-side argmax
   * over the returned rows per step.
   */
  public record DecodeBreakdown(double encode, double open, double promptStep, double tokenStep,
      double hostPerStep) {}

  /**
   * One decode measurement: tokens generated per second over all rows, with the cache and
   * recomputing, and the cached decode's breakdown.
   */
  public record DecodeResult(int batchSize, int tokensPerRow, Spread cachedTokensPerSecond,
      Spread recomputeTokensPerSecond, DecodeBreakdown breakdown) {

    /** How many times faster the cache is (medians). */
    public double speedup() {
      return cachedTokensPerSecond.median() / recomputeTokensPerSecond.median();
    }
  }

  /**
   * Training throughput. {@code forwardSeconds} is the same batch's inference-mode forward pass
   * (encode and teacher-forced logits) through the backend-neutral API, so {@code secondsPerStep
   * - forwardSeconds} bounds the backward pass and the optimizer update together; an engine that
   * runs a step as one call cannot be timed finer from outside.
   */
  public record TrainResult(int batchSize, int sequenceLength, Spread imagesPerSecond,
      double secondsPerStep, double forwardSeconds) {}

  /**
   * Everything measured in one run; {@code train} is null for a backend that does not train or a
   * plan without training.
   */
  public record Report(String backend, ModelConfig model, int vocabSize,
      List<DecodeResult> decode, TrainResult train) {

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
    try (Pix2seqModel model = backend.create(config, vocabSize, device, 1)) {
      for (int batch : plan.batchSizes()) {
        int total = batch * plan.decodeTokens();
        List<CachedRun> cachedRuns = repeat(plan, () -> decodeCached(model, batch,
            plan.decodeTokens()));
        Spread cached = Spread.of(cachedRuns.stream().mapToDouble(CachedRun::seconds).toArray())
            .rate(total);
        Spread recompute = Spread.of(values(repeat(plan, () -> decodeRecompute(model, batch,
            plan.decodeTokens())))).rate(total);
        DecodeResult r = new DecodeResult(batch, plan.decodeTokens(), cached, recompute,
            breakdown(cachedRuns));
        DecodeBreakdown d = r.breakdown();
        progress.accept(String.format(Locale.ROOT,
            "decode batch %d: %.0f tokens/s with cache (%.0f-%.0f), %.0f recomputing (x%.1f);"
                + " encode %.2f ms, open %.2f ms, prompt step %.3f ms, token step %.3f ms,"
                + " argmax %.3f ms/step",
            batch, cached.median(), cached.min(), cached.max(), recompute.median(), r.speedup(),
            d.encode() * 1e3, d.open() * 1e3, d.promptStep() * 1e3, d.tokenStep() * 1e3,
            d.hostPerStep() * 1e3));
        decode.add(r);
      }
      if (plan.trainBatchSize() == 0) {
        return new Report(backend.name(), config, vocabSize, decode, null);
      }
      if (!backend.trains()) {
        progress.accept("train: skipped, the " + backend.name() + " backend does not train");
        return new Report(backend.name(), config, vocabSize, decode, null);
      }
      TrainResult train = train(model, plan);
      progress.accept(String.format(Locale.ROOT,
          "train batch %d x %d tokens: %.2f images/s (%.2f-%.2f), %.3f s/step, of which the"
              + " forward pass alone takes %.3f s", train.batchSize(), train.sequenceLength(),
          train.imagesPerSecond().median(), train.imagesPerSecond().min(),
          train.imagesPerSecond().max(), train.secondsPerStep(), train.forwardSeconds()));
      return new Report(backend.name(), config, vocabSize, decode, train);
    }
  }

  private TrainResult train(Pix2seqModel model, Plan plan) {
    TrainingBatch batch = randomBatch(plan.trainBatchSize(), plan.trainSequenceLength(), 7);
    double[] steps;
    try (ModelTrainer trainer = backend.trainer(model, TrainConfig.defaults())) {
      steps = values(repeat(plan, () -> time(() -> trainer.step(
          List.of(new WeightedBatch(batch, 1)), 1e-4))));
    }
    double forward = Spread.of(values(repeat(plan, () -> time(() -> {
      try (ImageFeatures features = model.encoder().encode(batch.images())) {
        model.decoder().logits(features, identity(batch.size()), batch.inputs());
      }
    })))).median();
    Spread seconds = Spread.of(steps);
    return new TrainResult(batch.size(), batch.length(), seconds.rate(batch.size()),
        seconds.median(), forward);
  }

  /** The timings of one cached decode. */
  private record CachedRun(double seconds, double encode, double open, double promptStep,
      double tokenStep, double hostPerStep) {}

  private static DecodeBreakdown breakdown(List<CachedRun> runs) {
    return new DecodeBreakdown(
        medianOf(runs, CachedRun::encode), medianOf(runs, CachedRun::open),
        medianOf(runs, CachedRun::promptStep), medianOf(runs, CachedRun::tokenStep),
        medianOf(runs, CachedRun::hostPerStep));
  }

  private static double[] values(List<Double> seconds) {
    return seconds.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double medianOf(List<CachedRun> runs, ToDoubleFunction<CachedRun> field) {
    return Spread.of(runs.stream().mapToDouble(field).toArray()).median();
  }

  /**
   * One cached decode of {@code tokens} per row: its seconds (images encoded beforehand, not
   * counted) and where they went.
   */
  private CachedRun decodeCached(Pix2seqModel model, int batch, int tokens) {
    List<ImageTensor> images = randomImages(batch, 11);
    long t0 = System.nanoTime();
    try (ImageFeatures features = model.encoder().encode(images)) {
      long t1 = System.nanoTime();
      long host = 0;
      long prompt = 0;
      long t2;
      long stepsEnd;
      try (DecodingSession session = model.decoder().open(features, identity(batch))) {
        t2 = System.nanoTime();
        int[][] next = fill(batch, 10);
        for (int t = 0; t < tokens; t++) {
          long before = System.nanoTime();
          float[][] logits = session.feed(next);
          long fed = System.nanoTime();
          next = argmaxColumn(logits);
          host += System.nanoTime() - fed;
          if (t == 0) {
            prompt = fed - before;
          }
        }
        stepsEnd = System.nanoTime();
      }
      long end = System.nanoTime(); // closing the session (freeing its cache) is part of the work
      double steps = (stepsEnd - t2 - host - prompt) / 1e9;
      return new CachedRun((end - t1) / 1e9, (t1 - t0) / 1e9, (t2 - t1) / 1e9, prompt / 1e9,
          tokens > 1 ? steps / (tokens - 1) : 0, host / 1e9 / tokens);
    }
  }

  /**
   * Seconds to generate {@code tokens} per row without a cache: every step opens a fresh session
   * and feeds the whole prefix, so the self-attention keys and values of all earlier tokens are
   * recomputed, as a decoder without a cache must (the image's cross-attention keys and values
   * are computed once per encoded batch; opening a session only copies them per row).
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

  /**
   * Untimed runs, at least {@code plan.warmup()} and until they took {@code
   * plan.warmupSeconds()}, then {@code plan.repetitions()} kept ones.
   */
  private static <T> List<T> repeat(Plan plan, Supplier<T> run) {
    long start = System.nanoTime();
    for (int i = 0;
        i < plan.warmup() || (System.nanoTime() - start) / 1e9 < plan.warmupSeconds(); i++) {
      run.get();
    }
    List<T> out = new ArrayList<>(plan.repetitions());
    for (int i = 0; i < plan.repetitions(); i++) {
      out.add(run.get());
    }
    return out;
  }

  private static double time(Runnable work) {
    long start = System.nanoTime();
    work.run();
    return (System.nanoTime() - start) / 1e9;
  }
}
