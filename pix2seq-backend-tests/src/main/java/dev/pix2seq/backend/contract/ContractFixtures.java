package dev.pix2seq.backend.contract;

import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.api.generation.GenerationRequest;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.SequenceDecoder;
import dev.pix2seq.api.task.ConstraintState;
import dev.pix2seq.api.task.SequenceConstraint;
import dev.pix2seq.api.testing.ModelFixtures;
import dev.pix2seq.api.training.TrainingBatch;
import dev.pix2seq.api.training.WeightedBatch;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.api.vocab.TokenRange;
import dev.pix2seq.api.vocab.TokenSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Small generated fixtures shared by the contract suite and the cross-backend tests: tiny model
 * configs, random images and token rows, training batches, a test grammar and a greedy decoder
 * that recomputes every step without a cache (the reference cached decoding must reproduce).
 * Everything is a pure function of its seed.
 */
public final class ContractFixtures {

  /** Vocabulary size of the tiny test models. */
  public static final int VOCAB = ModelFixtures.VOCAB;

  /** The end-of-sequence token of the test grammar. */
  public static final int EOS = 1;

  /** Side of the tiny test models' input images. */
  public static final int IMAGE_SIZE = 32;

  private ContractFixtures() {}

  /**
   * A tiny architecture: 32 px images, 8 px patches (16 image tokens), width 32, 2 heads, MLP
   * 64, sequences up to 24 tokens, no dropout.
   */
  public static ModelConfig tinyConfig(boolean convStem, int encoderLayers, int decoderLayers) {
    return ModelFixtures.tinyConfig(convStem, encoderLayers, decoderLayers);
  }

  /** {@code config} with other training-noise rates. */
  public static ModelConfig withNoise(ModelConfig c, double dropout, double dropPath) {
    return ModelFixtures.withNoise(c, dropout, dropPath);
  }

  /**
   * Training settings for the tests: summed mixing of {@code detect} and {@code describe},
   * constant schedule without warm-up, AdamW betas 0.9 / 0.95, seed 5, CPU.
   */
  public static TrainConfig trainConfig(double weightDecay, double gradientClipNorm) {
    return new TrainConfig(TrainConfig.CURRENT_VERSION, List.of("detect", "describe"), Map.of(),
        "summed", 100, 3, 3e-3, weightDecay, 0.9, 0.95, 0, "constant", gradientClipNorm, 5L, 0,
        10, Device.CPU, List.of());
  }

  /** {@code count} RGB images of {@code side} pixels with uniform random values in [0, 1). */
  public static List<ImageTensor> images(int count, int side, long seed) {
    return ModelFixtures.images(count, side, seed);
  }

  /** {@code rows} rows of {@code length} uniform random token ids below {@code vocab}. */
  public static int[][] tokens(int rows, int length, int vocab, long seed) {
    return ModelFixtures.tokens(rows, length, vocab, seed);
  }

  /**
   * A teacher-forced batch of {@code rows} random sequences of {@code length + 1} tokens: the
   * inputs are the first {@code length}, the targets the last {@code length}; every position
   * weighs 1 except the first, 0.5.
   */
  public static TrainingBatch batch(String task, int rows, int length, int imageSide, int vocab,
      long seed) {
    int[][] sequences = tokens(rows, length + 1, vocab, seed);
    int[][] inputs = new int[rows][];
    int[][] targets = new int[rows][];
    float[][] weights = new float[rows][length];
    for (int r = 0; r < rows; r++) {
      inputs[r] = Arrays.copyOfRange(sequences[r], 0, length);
      targets[r] = Arrays.copyOfRange(sequences[r], 1, length + 1);
      Arrays.fill(weights[r], 1f);
      weights[r][0] = 0.5f;
    }
    return new TrainingBatch(task, images(rows, imageSide, seed), inputs, targets, weights);
  }

  /**
   * One step's batches: {@code detect} (3 rows, weight 1) and {@code describe} (3 rows, weight
   * 0.5), 10 tokens each, for models of {@code imageSide} pixels and {@code vocab} tokens.
   */
  public static List<WeightedBatch> mixedBatches(int imageSide, int vocab) {
    return List.of(new WeightedBatch(batch("detect", 3, 10, imageSide, vocab, 1), 1.0),
        new WeightedBatch(batch("describe", 3, 10, imageSide, vocab, 2), 0.5));
  }

  /** The test grammar: tokens 10..29 at even positions, 30..49 or EOS at odd positions. */
  public static AlternatingRangeConstraint grammar() {
    return new AlternatingRangeConstraint(new TokenRange(10, 30), new TokenRange(30, 50), EOS);
  }

  /** A constraint that allows every token below {@code vocab} at every step. */
  public static SequenceConstraint anyToken(int vocab) {
    TokenSet all = TokenSet.of(new TokenRange(0, vocab));
    ConstraintState state = new ConstraintState() {
      @Override
      public TokenSet allowed() {
        return all;
      }

      @Override
      public ConstraintState advance(int token) {
        return this;
      }
    };
    return () -> state;
  }

  /**
   * Greedy responses computed the slow way: at each step the whole sequence goes through
   * {@link SequenceDecoder#logits} (no cache), and the legal token with the largest logit is
   * chosen, the lowest id on ties, until EOS or the request's length limit (clamped to the
   * decoder's maximum sequence length), as {@code SequenceGenerator} documents.
   */
  public static List<int[]> recomputedGreedy(SequenceDecoder decoder, ImageFeatures features,
      List<GenerationRequest> requests, int eos) {
    List<int[]> responses = new ArrayList<>(requests.size());
    for (GenerationRequest request : requests) {
      int limit = Math.min(request.maxNewTokens(),
          decoder.maxSequenceLength() - request.prompt().length);
      int[] sequence = request.prompt().clone();
      ConstraintState state = request.constraint().start();
      int generated = 0;
      while (generated < limit) {
        float[][][] logits =
            decoder.logits(features, new int[] {request.image()}, new int[][] {sequence});
        int token = legalArgmax(logits[0][sequence.length - 1], state.allowed());
        sequence = Arrays.copyOf(sequence, sequence.length + 1);
        sequence[sequence.length - 1] = token;
        state = state.advance(token);
        generated++;
        if (token == eos) {
          break;
        }
      }
      responses.add(Arrays.copyOfRange(sequence, request.prompt().length, sequence.length));
    }
    return responses;
  }

  /** The allowed token of largest logit, the lowest id on ties (NaN never wins). */
  public static int legalArgmax(float[] logits, TokenSet allowed) {
    int best = -1;
    for (TokenRange r : allowed.ranges()) {
      for (int t = r.start(); t < Math.min(r.end(), logits.length); t++) {
        if (best < 0 || logits[t] > logits[best]) {
          best = t;
        }
      }
    }
    if (best < 0) {
      throw new IllegalArgumentException("no allowed token inside " + logits.length + " logits");
    }
    return best;
  }

  /** Index of the largest value, the lowest index on ties. */
  public static int argmax(float[] row) {
    return ModelFixtures.argmax(row);
  }

  /** Largest absolute element-wise difference of two equally long rows. */
  public static float maxAbsDiff(float[] a, float[] b) {
    return ModelFixtures.maxAbsDiff(a, b);
  }

  /** Largest absolute element-wise difference of two equally shaped {@code [r][t][v]} arrays. */
  public static float maxAbsDiff(float[][][] a, float[][][] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("arrays differ in rows: " + a.length + ", " + b.length);
    }
    float max = 0;
    for (int r = 0; r < a.length; r++) {
      if (a[r].length != b[r].length) {
        throw new IllegalArgumentException("row " + r + " differs in length");
      }
      for (int t = 0; t < a[r].length; t++) {
        max = Math.max(max, maxAbsDiff(a[r][t], b[r][t]));
      }
    }
    return max;
  }
}
