package dev.pix2seq.cli;

import dev.pix2seq.api.checkpoint.Npy;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.runtime.backend.Backends;
import dev.pix2seq.runtime.checkpoint.Checkpoint;
import dev.pix2seq.runtime.checkpoint.LoadedCheckpoint;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pix2seq logits}: the teacher-forced logits of a model for already preprocessed images and
 * token rows, NumPy {@code .npy} in and out, so that any other implementation can be compared
 * number for number.
 */
@Command(
    name = "logits",
    mixinStandardHelpOptions = true,
    description = {
      "Teacher-forced logits for preprocessed images and token rows, as NumPy files:",
      "IMAGES.npy float32 [N, H, W, 3] (values 0..1, H = W = the model's image size),",
      "TOKENS.npy int64 or int32 [N, T]; writes LOGITS.npy float32 [N, T, vocab], where",
      "[n, t] scores the token after tokens[n, 0..t]."
    })
final class LogitsCommand implements Callable<Integer> {

  /** The most logits one call computes and writes (1 GiB of float32). */
  static final long MAX_LOGITS = 1L << 28;

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "RUN",
      description = "Run folder or checkpoint folder (trained or imported).")
  Path model;

  @Option(names = "--image-tensor", required = true, paramLabel = "IMAGES.npy",
      description = "Preprocessed images, float32 [N, H, W, 3], values 0..1.")
  Path images;

  @Option(names = "--tokens", required = true, paramLabel = "TOKENS.npy",
      description = "Token rows, int64 or int32 [N, T], one row per image.")
  Path tokens;

  @Option(names = "--out", required = true, paramLabel = "LOGITS.npy",
      description = "Where to write the logits, float32 [N, T, vocab].")
  Path out;

  @Option(names = "--backend", paramLabel = "NAME", defaultValue = "djl",
      description = "Backend (default: ${DEFAULT-VALUE}).")
  String backend;

  @Override
  public Integer call() throws Exception {
    Npy.Array imageArray = Npy.read(images);
    Npy.Array tokenArray = Npy.read(tokens);
    int[] imageShape = imageArray.shape();
    int[] tokenShape = tokenArray.shape();
    if (imageShape.length != 4 || imageShape[3] != 3) {
      throw new ParameterException(spec.commandLine(), "--image-tensor " + images
          + ": expected shape [N, H, W, 3], found " + Arrays.toString(imageShape));
    }
    if (tokenShape.length != 2 || tokenShape[0] != imageShape[0] || tokenShape[1] < 1) {
      throw new ParameterException(spec.commandLine(), "--tokens " + tokens + ": expected shape ["
          + imageShape[0] + ", T] (one row per image, T >= 1), found "
          + Arrays.toString(tokenShape));
    }
    int[] flat = tokenArray.ints("--tokens " + tokens);
    int n = tokenShape[0];
    int length = tokenShape[1];
    int[][] rows = new int[n][];
    for (int i = 0; i < n; i++) {
      rows[i] = Arrays.copyOfRange(flat, i * length, (i + 1) * length);
    }
    try (LoadedCheckpoint checkpoint =
        Checkpoint.load(model, Backends.discover().select(backend), Device.CPU)) {
      Pix2seqModel net = checkpoint.model();
      int size = net.config().imageSize();
      if (imageShape[1] != size || imageShape[2] != size) {
        throw new ParameterException(spec.commandLine(), "--image-tensor " + images
            + ": the model takes " + size + " x " + size + " images, found "
            + imageShape[1] + " x " + imageShape[2]);
      }
      checkTokens(flat, net.vocabSize(), length, net.decoder().maxSequenceLength());
      long count = (long) n * length * net.vocabSize();
      if (count > MAX_LOGITS) {
        throw new ParameterException(spec.commandLine(), "--tokens " + tokens + ": " + n + " x "
            + length + " rows of " + net.vocabSize() + " logits are " + count
            + " values, more than the " + MAX_LOGITS + " one call writes; split the rows into"
            + " several files");
      }
      List<ImageTensor> batch =
          ImageTensor.fromChannelsLast(imageArray.floats(), n, size, size, 3);
      int[] imageOfRow = new int[n];
      Arrays.setAll(imageOfRow, i -> i);
      float[][][] logits;
      try (ImageFeatures features = net.encoder().encode(batch)) {
        logits = net.decoder().logits(features, imageOfRow, rows);
      }
      int vocab = net.vocabSize();
      float[] values = new float[n * length * vocab];
      for (int i = 0; i < n; i++) {
        for (int t = 0; t < length; t++) {
          System.arraycopy(logits[i][t], 0, values, (i * length + t) * vocab, vocab);
        }
      }
      Npy.writeFloats(out, values, n, length, vocab);
      PrintWriter w = spec.commandLine().getOut();
      w.println("wrote " + out + ": logits [" + n + ", " + length + ", " + vocab + "] of "
          + model + " on " + backend);
      w.flush();
    }
    return 0;
  }

  private void checkTokens(int[] flat, int vocab, int length, int maxLength) {
    if (length > maxLength) {
      throw new ParameterException(spec.commandLine(), "--tokens " + tokens + ": rows of "
          + length + " tokens exceed the model's " + maxLength + " positions");
    }
    for (int i = 0; i < flat.length; i++) {
      if (flat[i] < 0 || flat[i] >= vocab) {
        throw new ParameterException(spec.commandLine(), "--tokens " + tokens + ": token "
            + flat[i] + " at [" + i / length + ", " + i % length + "] is outside the model's"
            + " vocabulary 0.." + (vocab - 1));
      }
    }
  }
}
