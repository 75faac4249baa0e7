package dev.pix2seq.api.generation;

import dev.pix2seq.api.model.DecodingSession;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.SequenceDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A decoder whose logits are a pure function of (image, the row's whole prefix), with sessions
 * that check the contract (same token count per row, tokens in the vocabulary, prefixes within
 * the maximum length, no use after close) and record the rows of every feed.
 */
final class FakeDecoder implements SequenceDecoder {

  /** Logits for the token after {@code prefix} (prompt then response) on {@code image}. */
  @FunctionalInterface
  interface LogitFunction {
    float[] logits(int image, int[] prefix);
  }

  final int vocabSize;
  final int maxSequenceLength;
  final LogitFunction function;
  final List<Integer> rowsPerFeed = new ArrayList<>();
  int opened;
  int closed;

  FakeDecoder(int vocabSize, int maxSequenceLength, LogitFunction function) {
    this.vocabSize = vocabSize;
    this.maxSequenceLength = maxSequenceLength;
    this.function = function;
  }

  /** Gaussian logits of standard deviation {@code scale}, a hash of seed, image and prefix. */
  static LogitFunction random(long seed, int vocabSize, double scale) {
    return (image, prefix) -> {
      long h = seed * 0x9E3779B97F4A7C15L + image;
      for (int t : prefix) {
        h = Long.rotateLeft((h ^ t) * 0xBF58476D1CE4E5B9L, 29) + 0x94D049BB133111EBL;
      }
      SplittableRandom r = new SplittableRandom(h);
      float[] logits = new float[vocabSize];
      for (int i = 0; i < vocabSize; i++) {
        logits[i] = (float) (r.nextGaussian() * scale);
      }
      return logits;
    };
  }

  /** Encoded images for this decoder. */
  static final class Features implements ImageFeatures {
    private final int batchSize;

    Features(int batchSize) {
      this.batchSize = batchSize;
    }

    @Override
    public int batchSize() {
      return batchSize;
    }

    @Override
    public void close() {}
  }

  @Override
  public DecodingSession open(ImageFeatures features, int[] imageOfRow) {
    for (int image : imageOfRow) {
      if (image < 0 || image >= features.batchSize()) {
        throw new IllegalArgumentException("image " + image);
      }
    }
    opened++;
    return new Session(imageOfRow);
  }

  @Override
  public float[][][] logits(ImageFeatures features, int[] imageOfRow, int[][] tokens) {
    float[][][] out = new float[tokens.length][][];
    for (int r = 0; r < tokens.length; r++) {
      out[r] = new float[tokens[r].length][];
      for (int t = 0; t < tokens[r].length; t++) {
        out[r][t] = function.logits(imageOfRow[r], Arrays.copyOf(tokens[r], t + 1));
      }
    }
    return out;
  }

  @Override
  public int maxSequenceLength() {
    return maxSequenceLength;
  }

  private final class Session implements DecodingSession {
    private int[] images;
    private int[][] prefixes;
    private boolean isClosed;

    Session(int[] imageOfRow) {
      images = imageOfRow.clone();
      prefixes = new int[imageOfRow.length][0];
    }

    @Override
    public int rows() {
      return images.length;
    }

    @Override
    public int vocabSize() {
      return vocabSize;
    }

    @Override
    public float[][] feed(int[][] tokens) {
      if (isClosed) {
        throw new IllegalStateException("session closed");
      }
      if (tokens.length != images.length) {
        throw new IllegalArgumentException(tokens.length + " token rows for " + images.length);
      }
      int count = tokens[0].length;
      float[][] out = new float[tokens.length][];
      for (int r = 0; r < tokens.length; r++) {
        if (tokens[r].length != count || count == 0) {
          throw new IllegalArgumentException("rows fed different token counts");
        }
        for (int t : tokens[r]) {
          if (t < 0 || t >= vocabSize) {
            throw new IllegalArgumentException("token " + t + " outside the vocabulary");
          }
        }
        int[] prefix = Arrays.copyOf(prefixes[r], prefixes[r].length + count);
        System.arraycopy(tokens[r], 0, prefix, prefixes[r].length, count);
        if (prefix.length > maxSequenceLength) {
          throw new IllegalArgumentException("row longer than " + maxSequenceLength);
        }
        prefixes[r] = prefix;
        out[r] = function.logits(images[r], prefix);
      }
      rowsPerFeed.add(tokens.length);
      return out;
    }

    @Override
    public void select(int[] rows) {
      if (isClosed) {
        throw new IllegalStateException("session closed");
      }
      int[] newImages = new int[rows.length];
      int[][] newPrefixes = new int[rows.length][];
      for (int i = 0; i < rows.length; i++) {
        newImages[i] = images[rows[i]];
        newPrefixes[i] = prefixes[rows[i]];
      }
      images = newImages;
      prefixes = newPrefixes;
    }

    @Override
    public void close() {
      if (!isClosed) {
        isClosed = true;
        closed++;
      }
    }
  }
}
