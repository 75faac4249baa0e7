package dev.pix2seq.runtime.predict;

import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.model.DecodingSession;
import dev.pix2seq.api.model.ImageEncoder;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.model.SequenceDecoder;
import dev.pix2seq.api.value.ImageTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A pure-Java stand-in for a backend: the encoder keeps the images it is given, the decoder's
 * logits come from a {@link Script} that sees the row's model-input image and every token so far
 * (prompt included). Records what it was asked, for assertions.
 */
final class ScriptedModel implements Pix2seqModel {

  /** One token the script pushes up, with its logit; every other logit is 0. */
  record Forced(int token, float logit) {
    static Forced certain(int token) {
      return new Forced(token, 20f);
    }
  }

  /** The next token given the row's image and its tokens so far; null for all-zero logits. */
  @FunctionalInterface
  interface Script {
    Forced next(ImageTensor image, int[] tokens);
  }

  private final ModelConfig config;
  private final int vocabSize;
  private final Script script;
  /** The image lists of every encoder call. */
  final List<List<ImageTensor>> encodedBatches = Collections.synchronizedList(new ArrayList<>());
  /** The first tokens fed to every opened row (the prompts). */
  final List<int[]> prompts = Collections.synchronizedList(new ArrayList<>());

  ScriptedModel(ModelConfig config, int vocabSize, Script script) {
    this.config = config;
    this.vocabSize = vocabSize;
    this.script = script;
  }

  /** Every image the encoder was given, in order. */
  List<ImageTensor> encodedImages() {
    synchronized (encodedBatches) {
      return encodedBatches.stream().flatMap(List::stream).toList();
    }
  }

  @Override
  public ModelConfig config() {
    return config;
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public ImageEncoder encoder() {
    return images -> {
      for (ImageTensor t : images) {
        if (t.width() != config.imageSize() || t.height() != config.imageSize()) {
          throw new IllegalArgumentException("expected " + config.imageSize() + " square, found "
              + t.width() + "x" + t.height());
        }
      }
      encodedBatches.add(List.copyOf(images));
      return new Features(List.copyOf(images));
    };
  }

  @Override
  public SequenceDecoder decoder() {
    return new SequenceDecoder() {
      @Override
      public DecodingSession open(ImageFeatures features, int[] imageOfRow) {
        Features f = (Features) features;
        f.checkOpen();
        List<Row> rows = new ArrayList<>();
        for (int i : imageOfRow) {
          rows.add(new Row(f.images.get(i), new int[0]));
        }
        return new Session(rows);
      }

      @Override
      public float[][][] logits(ImageFeatures features, int[] imageOfRow, int[][] tokens) {
        Features f = (Features) features;
        float[][][] out = new float[tokens.length][][];
        for (int r = 0; r < tokens.length; r++) {
          out[r] = new float[tokens[r].length][];
          for (int t = 0; t < tokens[r].length; t++) {
            out[r][t] = logitsFor(f.images.get(imageOfRow[r]), Arrays.copyOf(tokens[r], t + 1));
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

  private float[] logitsFor(ImageTensor image, int[] tokens) {
    float[] logits = new float[vocabSize];
    Forced f = script.next(image, tokens);
    if (f != null) {
      logits[f.token()] = f.logit();
    }
    return logits;
  }

  @Override
  public void saveWeights(Path dir) {
    throw new UnsupportedOperationException("a scripted model has no weights");
  }

  @Override
  public void close() {}

  private record Row(ImageTensor image, int[] tokens) {}

  private static final class Features implements ImageFeatures {
    final List<ImageTensor> images;
    private boolean closed;

    Features(List<ImageTensor> images) {
      this.images = images;
    }

    void checkOpen() {
      if (closed) {
        throw new IllegalStateException("image features used after close");
      }
    }

    @Override
    public int batchSize() {
      return images.size();
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private final class Session implements DecodingSession {
    private List<Row> rows;

    Session(List<Row> rows) {
      this.rows = rows;
    }

    @Override
    public int rows() {
      return rows.size();
    }

    @Override
    public int vocabSize() {
      return vocabSize;
    }

    @Override
    public float[][] feed(int[][] tokens) {
      float[][] out = new float[rows.size()][];
      List<Row> next = new ArrayList<>(rows.size());
      for (int r = 0; r < rows.size(); r++) {
        Row row = rows.get(r);
        if (row.tokens().length == 0) {
          prompts.add(tokens[r].clone());
        }
        int[] all = Arrays.copyOf(row.tokens(), row.tokens().length + tokens[r].length);
        System.arraycopy(tokens[r], 0, all, row.tokens().length, tokens[r].length);
        next.add(new Row(row.image(), all));
        out[r] = logitsFor(row.image(), all);
      }
      rows = next;
      return out;
    }

    @Override
    public void select(int[] keep) {
      List<Row> next = new ArrayList<>(keep.length);
      for (int r : keep) {
        next.add(rows.get(r));
      }
      rows = next;
    }

    @Override
    public void close() {}
  }
}
