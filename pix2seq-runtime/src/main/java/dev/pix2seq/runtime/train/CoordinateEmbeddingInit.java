package dev.pix2seq.runtime.train;

import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.checkpoint.NamedTensor;
import dev.pix2seq.api.checkpoint.SafeTensors;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.model.Backend;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.network.CoordinateCode;
import dev.pix2seq.api.network.ParameterLayout;
import dev.pix2seq.api.vocab.VocabLayout;
import dev.pix2seq.runtime.checkpoint.Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Gives a fresh network's coordinate tokens embeddings that know their order: row {@code
 * coordBase + b} of {@code decoder.token_embedding} becomes a sin-cos code of the bin's position
 * {@code b / (bins - 1)} ({@link CoordinateCode#line}, the code the decoder's memory uses for
 * its grid cells), scaled to the norm of a randomly drawn row. Nearby bins then start with
 * similar embeddings, on the input side (a prompt's box corner) and on the output side (the
 * embedding matrix is also the output layer), so "about here" is learned once for all bins
 * instead of once per bin; the other rows keep their random draw. Backend-neutral: the weights go through the checkpoint format.
 */
public final class CoordinateEmbeddingInit {

  /** Standard deviation of the random rows ({@code NORMAL_002}). */
  private static final double RANDOM_STD = 0.02;

  private CoordinateEmbeddingInit() {}

  /**
   * The ordered code of {@code bins} coordinate bins, {@code [bins][width]}, each row of norm
   * {@code 0.02 * sqrt(width)} (a random row's expected norm).
   *
   * @throws IllegalArgumentException if {@code width} is odd or less than 2 ({@link
   *     CoordinateCode#line}), or bins < 2
   */
  public static float[][] code(int bins, int width) {
    if (bins < 2) {
      throw new IllegalArgumentException("bins must be >= 2, found " + bins);
    }
    double amplitude = RANDOM_STD * Math.sqrt(2);
    float[][] out = new float[bins][];
    for (int b = 0; b < bins; b++) {
      out[b] = CoordinateCode.line(b / (double) (bins - 1), width, amplitude);
    }
    return out;
  }

  /**
   * {@code weights} with the coordinate rows of the token embedding replaced by {@link #code};
   * the other tensors are returned as they are. Weights without a {@code
   * decoder.token_embedding} (a backend with a network of its own) are returned unchanged.
   *
   * @throws IllegalArgumentException if the layout's coordinate range does not fit in the token
   *     embedding
   */
  public static List<NamedTensor> apply(List<NamedTensor> weights, VocabLayout layout) {
    List<NamedTensor> out = new ArrayList<>(weights.size());
    boolean found = false;
    for (NamedTensor t : weights) {
      if (!t.name().equals(ParameterLayout.TOKEN_EMBEDDING)) {
        out.add(t);
        continue;
      }
      found = true;
      int vocab = t.shape()[0];
      int width = t.shape()[1];
      if (layout.coordBase() + layout.coordBins() > vocab) {
        throw new IllegalArgumentException("the coordinate tokens [" + layout.coordBase() + ", "
            + (layout.coordBase() + layout.coordBins()) + ") do not fit in a token embedding of "
            + vocab + " rows");
      }
      float[] data = t.data().clone();
      float[][] code = code(layout.coordBins(), width);
      for (int b = 0; b < code.length; b++) {
        System.arraycopy(code[b], 0, data, (layout.coordBase() + b) * width, width);
      }
      out.add(new NamedTensor(t.name(), t.shape(), data));
    }
    return found ? out : weights;
  }

  /**
   * A copy of the fresh {@code model} (of {@code backend}) with ordered coordinate embeddings,
   * closing {@code model}; {@code model} itself when its weights hold no token embedding. The
   * weights travel through a temporary directory in the checkpoint format, so every backend gets
   * the same values. {@code model} is closed when this fails.
   */
  public static Pix2seqModel applyTo(
      Pix2seqModel model, Backend backend, VocabLayout layout, Device device)
      throws CheckpointException {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("pix2seq-init");
      model.saveWeights(dir);
      Path file = dir.resolve(Checkpoint.WEIGHTS_FILE);
      SafeTensors.Contents contents = SafeTensors.read(file);
      List<NamedTensor> weights = new ArrayList<>(contents.tensors().values());
      List<NamedTensor> ordered = apply(weights, layout);
      if (ordered == weights) {
        return model;
      }
      SafeTensors.write(file, ordered, contents.metadata());
      Pix2seqModel reloaded = backend.load(dir, model.config(), model.vocabSize(), device);
      model.close();
      return reloaded;
    } catch (IOException e) {
      model.close();
      throw new UncheckedIOException("cannot write the initial weights to a temporary directory",
          e);
    } catch (CheckpointException | RuntimeException e) {
      model.close();
      throw e;
    } finally {
      deleteQuietly(dir);
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temporary directory is harmless
    }
  }
}
