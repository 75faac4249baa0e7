package dev.pix2seq.backend.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.InferenceConfig;
import dev.pix2seq.api.model.Backend;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.sampling.SamplerSpec;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.api.value.KeypointSchema;
import dev.pix2seq.backend.Engines;
import dev.pix2seq.backend.contract.ContractFixtures;
import dev.pix2seq.runtime.predict.KeypointPrediction;
import dev.pix2seq.runtime.predict.ObjectInstance;
import dev.pix2seq.runtime.predict.Pix2seqPredictor;
import dev.pix2seq.tasks.TaskContext;
import dev.pix2seq.tasks.TaskRegistry;
import dev.pix2seq.tokenizer.NoTextTokenizer;
import dev.pix2seq.tokenizer.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One loaded model and one {@link Pix2seqPredictor} shared by 8 threads, on each backend: every
 * greedy prediction (detection and keypoints, alternately) equals the single-threaded one for
 * the same image, and nothing throws. The model has random weights: its detections are mostly
 * dropped, but its keypoints always carry 4 decoded points and a score computed from the
 * logits, so any difference in a token or a logit shows. {@value #DEFAULT_PREDICTIONS}
 * predictions after a warm-up ({@code -Dpix2seq.serving.predictions=N} for another count); the
 * resident memory after the warm-up and after each quarter is printed, not asserted
 * (docs/performance.md records a run).
 */
class ConcurrentServingTest {

  private static final int THREADS = 8;
  private static final int IMAGES = 16;
  private static final int DEFAULT_PREDICTIONS = 2000;
  /** Concurrent predictions before the first memory reading: every thread's buffers exist. */
  private static final int WARM_UP = 256;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"djl", "tf"})
  void eightThreadsShareOneModelAndGetTheSingleThreadedResults(String name) throws Exception {
    int predictions = Integer.getInteger("pix2seq.serving.predictions", DEFAULT_PREDICTIONS);
    Backend backend = new Engines().require(name);
    KeypointSchema figure = new KeypointSchema(List.of("head", "left", "right", "foot"),
        List.of(new KeypointSchema.Edge(0, 3)));
    Vocabulary vocab = new Vocabulary(Vocabulary.defaultLayout(),
        List.of(new Category(1, "figure", "figure", figure), Category.of(2, "square")),
        NoTextTokenizer.INSTANCE);
    InferenceConfig greedy = new InferenceConfig(InferenceConfig.CURRENT_VERSION, name,
        Device.CPU, Map.of("detect", SamplerSpec.greedy(), "keypoint", SamplerSpec.greedy()), 8,
        1, 0L);
    List<ImageTensor> images = ContractFixtures.images(IMAGES, 48, 11);
    try (Pix2seqModel model = backend.create(
        ContractFixtures.tinyConfig(false, 1, 2), vocab.size(), Device.CPU, 17)) {
      Pix2seqPredictor predictor = Pix2seqPredictor.of(model, TaskContext.of(vocab),
          TaskRegistry.discover(getClass().getClassLoader()), greedy);
      List<Object> expected = new ArrayList<>();
      for (int j = 0; j < 2 * IMAGES; j++) {
        expected.add(predict(predictor, images, j));
      }
      assertTrue(expected.stream().anyMatch(r -> r instanceof List<?> l && !l.isEmpty()
          && l.get(0) instanceof KeypointPrediction k && k.keypoints().score() > 0),
          "keypoint results carry scores, so the comparison means something");

      AtomicInteger mismatches = new AtomicInteger();
      List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
      long[] rss = new long[5];
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        runAll(pool, predictor, images, expected, WARM_UP, mismatches, failures);
        rss[0] = residentKb();
        int quarter = Math.max(1, predictions / 4);
        for (int q = 1; q <= 4; q++) {
          runAll(pool, predictor, images, expected, quarter, mismatches, failures);
          rss[q] = residentKb();
        }
      } finally {
        pool.shutdownNow();
      }
      System.out.printf(Locale.ROOT, "%s: %d threads, %d predictions after %d warm-up; resident "
          + "memory (MB) after warm-up and each quarter: %s%n", name, THREADS,
          4 * Math.max(1, predictions / 4), WARM_UP,
          java.util.Arrays.stream(rss).mapToObj(kb -> String.valueOf(kb / 1024)).toList());
      assertEquals(List.of(), failures, name + ": no prediction may throw");
      assertEquals(0, mismatches.get(), name + ": every result equals the single-threaded one");
    }
  }

  /**
   * Prediction {@code j}: detection of image {@code j % IMAGES} for even {@code j / IMAGES},
   * keypoints of a box in it for odd.
   */
  private static Object predict(Pix2seqPredictor predictor, List<ImageTensor> images, int j) {
    ImageTensor image = images.get(j % IMAGES);
    return (j / IMAGES) % 2 == 0 ? predictor.detect(image) : predictor.keypoints(image,
        List.of(ObjectInstance.of(new BoundingBox(8, 4, 40, 44), 1)));
  }

  /** {@code count} predictions spread over the pool, prediction {@code j % (2 x IMAGES)}. */
  private static void runAll(ExecutorService pool, Pix2seqPredictor predictor,
      List<ImageTensor> images, List<Object> expected, int count,
      AtomicInteger mismatches, List<Throwable> failures) throws Exception {
    List<Future<?>> jobs = new ArrayList<>(count);
    for (int j = 0; j < count; j++) {
      int which = j % expected.size();
      jobs.add(pool.submit(() -> {
        try {
          if (!predict(predictor, images, which).equals(expected.get(which))) {
            mismatches.incrementAndGet();
          }
        } catch (RuntimeException | Error e) {
          failures.add(e);
        }
      }));
    }
    for (Future<?> job : jobs) {
      job.get();
    }
  }

  /** This process's resident set size in kB (Linux), or -1 where /proc is not there. */
  private static long residentKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
