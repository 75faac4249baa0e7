package dev.pix2seq.tf;

import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.api.model.DecodingSession;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.testing.ModelFixtures;
import dev.pix2seq.api.training.ModelTrainer;
import dev.pix2seq.api.training.TrainingBatch;
import dev.pix2seq.api.training.WeightedBatch;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Cached decoding speed (batch 1 and 8) and training step time (batch 8) of the {@code tiny}
 * preset, best of several repetitions. Off by default; run with {@code
 * -Dtest=SpeedBenchmarkTest -Dpix2seq.bench=true}.
 */
@EnabledIfSystemProperty(named = "pix2seq.bench", matches = "true")
class SpeedBenchmarkTest {

  private static final int VOCAB = 4096;
  private static final int STEPS = 100;

  @Test
  void tinyPreset() {
    ModelConfig config = ModelConfig.preset("tiny");
    long start = System.nanoTime();
    try (Pix2seqModel model = new TfBackend().create(config, VOCAB, Device.CPU, 3)) {
      System.out.printf("bench create %.2f s%n", (System.nanoTime() - start) / 1e9);
      for (int rows : new int[] {1, 8}) {
        int[] imageOfRow = new int[rows];
        Arrays.setAll(imageOfRow, i -> i);
        try (ImageFeatures features = model.encoder().encode(
            ModelFixtures.images(rows, config.imageSize(), 2))) {
          double best = Double.MAX_VALUE;
          for (int repeat = 0; repeat < 8; repeat++) {
            try (DecodingSession session = model.decoder().open(features, imageOfRow)) {
              long t0 = System.nanoTime();
              int[][] next = new int[rows][1];
              for (int i = 0; i < STEPS; i++) {
                float[][] logits = session.feed(next);
                for (int r = 0; r < rows; r++) {
                  next[r][0] = ModelFixtures.argmax(logits[r]);
                }
              }
              best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
          }
          System.out.printf("bench greedy decode batch %d: %.0f tokens/s (%.2f ms per step)%n",
              rows, STEPS * rows / best, best * 1000 / STEPS);
        }
      }
      int rows = 8;
      int length = 100;
      int[][] tokens = ModelFixtures.tokens(rows, length, VOCAB, 1);
      float[][] weights = new float[rows][length];
      for (float[] row : weights) {
        Arrays.fill(row, 1f);
      }
      List<WeightedBatch> batch = List.of(new WeightedBatch(new TrainingBatch("detect",
          ModelFixtures.images(rows, config.imageSize(), 1), tokens, tokens, weights), 1.0));
      long t0 = System.nanoTime();
      try (ModelTrainer trainer = new TfBackend().trainer(model, TrainConfig.defaults())) {
        trainer.step(batch, 1e-4);
        System.out.printf("bench trainer creation and first step %.2f s%n",
            (System.nanoTime() - t0) / 1e9);
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
          long s0 = System.nanoTime();
          trainer.step(batch, 1e-4);
          best = Math.min(best, (System.nanoTime() - s0) / 1e9);
        }
        System.out.printf("bench training step batch %d x %d tokens: %.3f s%n", rows, length,
            best);
      }
    }
  }
}
