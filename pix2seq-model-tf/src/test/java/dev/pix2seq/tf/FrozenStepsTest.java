package dev.pix2seq.tf;

import static dev.pix2seq.api.testing.ModelFixtures.VOCAB;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.api.model.DecodingSession;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.testing.ModelFixtures;
import dev.pix2seq.api.training.ModelTrainer;
import dev.pix2seq.api.training.TrainingBatch;
import dev.pix2seq.api.training.WeightedBatch;
import dev.pix2seq.api.value.ImageTensor;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Decoding steps run on weights frozen into constants: a session decodes with the weights it was
 * opened with, a session opened after the weights changed sees the new ones, and each frozen copy
 * is closed with its last holder.
 */
class FrozenStepsTest {

  private static final ModelConfig CONFIG = ModelFixtures.smallConfig(false);
  private static final int[][] PREFIX = {{3, 7, 11, 2}, {5, 1, 9, 4}};
  private static final List<ImageTensor> IMAGES = ModelFixtures.images(2, 32, 4);

  @AfterEach
  void clearProperty() {
    System.clearProperty(TfDevices.FROZEN_STEPS);
  }

  @Test
  void aSessionKeepsItsWeightsAndALaterOneSeesNewWeights() {
    try (TfModel model = create(1)) {
      ImageFeatures features = model.encoder().encode(IMAGES);
      float[][][] before = model.decoder().logits(features, new int[] {0, 1}, PREFIX);
      try (DecodingSession early = model.decoder().open(features, new int[] {0, 1})) {
        feedAndCompare(early, 0, 2, before);
        model.assignWeights(TestFixtures.randomWeights(CONFIG, VOCAB, 2));
        try (ImageFeatures encodedAfter = model.encoder().encode(IMAGES)) {
          float[][][] after = model.decoder().logits(encodedAfter, new int[] {0, 1}, PREFIX);
          assertTrue(maxDiff(before, after) > 0.1, "the new weights move the logits");
          // the early session goes on with the weights it was opened with
          feedAndCompare(early, 2, 4, before);
          try (DecodingSession late = model.decoder().open(encodedAfter, new int[] {0, 1})) {
            feedAndCompare(late, 0, 4, after);
          }
        }
      }
      features.close();
    }
  }

  @Test
  void aTrainingStepChangesTheWeightsLaterSessionsDecodeWith() {
    try (TfModel model = create(1)) {
      float[][][] before;
      try (ImageFeatures features = model.encoder().encode(IMAGES)) {
        before = model.decoder().logits(features, new int[] {0, 1}, PREFIX);
        try (DecodingSession s = model.decoder().open(features, new int[] {0, 1})) {
          feedAndCompare(s, 0, 4, before);
        }
      }
      try (ModelTrainer trainer = new TfBackend().trainer(model, TrainConfig.defaults())) {
        int[][] targets = {{7, 11, 2, 1}, {1, 9, 4, 1}};
        float[][] weights = new float[2][4];
        Arrays.stream(weights).forEach(w -> Arrays.fill(w, 1f));
        trainer.step(List.of(new WeightedBatch(
            new TrainingBatch("detect", IMAGES, PREFIX, targets, weights), 1.0)), 1e-2);
      }
      try (ImageFeatures features = model.encoder().encode(IMAGES)) {
        float[][][] after = model.decoder().logits(features, new int[] {0, 1}, PREFIX);
        assertTrue(maxDiff(before, after) > 1e-3, "the training step moves the logits");
        try (DecodingSession s = model.decoder().open(features, new int[] {0, 1})) {
          feedAndCompare(s, 0, 4, after);
        }
      }
    }
  }

  @Test
  void aFrozenCopyIsClosedWithItsLastHolderAndSharedWhileTheWeightsStay() {
    try (TfModel model = create(1);
        ImageFeatures features = model.encoder().encode(ModelFixtures.images(1, 32, 4))) {
      TfDecodingSession first = (TfDecodingSession) model.decoder().open(features, new int[] {0});
      TfDecodingSession second = (TfDecodingSession) model.decoder().open(features, new int[] {0});
      FrozenSteps old = first.frozenSteps();
      assertSame(old, second.frozenSteps(), "unchanged weights share one frozen copy");
      model.assignWeights(TestFixtures.randomWeights(CONFIG, VOCAB, 2));
      TfDecodingSession third = (TfDecodingSession) model.decoder().open(features, new int[] {0});
      assertNotSame(old, third.frozenSteps());
      first.close();
      assertFalse(old.isClosed(), "a session still holds the old copy (the model gave it up)");
      second.close();
      assertTrue(old.isClosed(), "the last session closed the old copy");
      FrozenSteps current = third.frozenSteps();
      third.close();
      assertFalse(current.isClosed(), "the model holds the current copy");
      model.close();
      assertTrue(current.isClosed(), "closing the model closes the current copy");
    }
  }

  @Test
  void stepsRunOnTheVariablesWhenFreezingIsTurnedOff() {
    System.setProperty(TfDevices.FROZEN_STEPS, "false");
    try (TfModel model = create(1);
        ImageFeatures features = model.encoder().encode(IMAGES)) {
      float[][][] expected = model.decoder().logits(features, new int[] {0, 1}, PREFIX);
      try (TfDecodingSession s =
          (TfDecodingSession) model.decoder().open(features, new int[] {0, 1})) {
        assertNull(s.frozenSteps());
        feedAndCompare(s, 0, 4, expected);
      }
    }
  }

  /** A model whose weights are all random, so that every one of them moves the logits. */
  private static TfModel create(long seed) {
    TfModel model = (TfModel) new TfBackend().create(CONFIG, VOCAB, Device.CPU, seed);
    model.assignWeights(TestFixtures.randomWeights(CONFIG, VOCAB, seed));
    return model;
  }

  /** Feeds positions {@code from..to-1} of {@link #PREFIX} one at a time, checking each step. */
  private static void feedAndCompare(
      DecodingSession session, int from, int to, float[][][] expected) {
    for (int t = from; t < to; t++) {
      float[][] logits = session.feed(new int[][] {{PREFIX[0][t]}, {PREFIX[1][t]}});
      for (int r = 0; r < 2; r++) {
        float diff = ModelFixtures.maxAbsDiff(expected[r][t], logits[r]);
        assertTrue(diff < 1e-4f, "row " + r + " position " + t + ": logits differ by " + diff);
      }
    }
  }

  private static float maxDiff(float[][][] a, float[][][] b) {
    float max = 0;
    for (int r = 0; r < a.length; r++) {
      for (int t = 0; t < a[r].length; t++) {
        max = Math.max(max, ModelFixtures.maxAbsDiff(a[r][t], b[r][t]));
      }
    }
    return max;
  }
}
