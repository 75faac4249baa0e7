package dev.pix2seq.tf;

import dev.pix2seq.api.checkpoint.NamedTensor;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.tf.network.NetworkGraph;
import dev.pix2seq.tf.network.ResidualNoise;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Exports a TensorFlow-backend model as a TensorFlow SavedModel (tag {@value
 * SavedModelBundle#DEFAULT_TAG}) for serving outside this project, with the weights frozen into
 * the graph as constants. Signatures (all float32 unless noted; {@code S} the image size, {@code
 * N} the image tokens, {@code D} the decoder width, {@code V} the vocabulary size):
 *
 * <ul>
 *   <li>{@code encode}: input {@code images} {@code [B, 3, S, S]} (RGB in [0, 1], NCHW) to output
 *       {@code memory} {@code [B, N, D]};
 *   <li>{@code logits}: inputs {@code memory} {@code [I, N, D]}, {@code image_of_row} int32
 *       {@code [R]} and {@code tokens} int32 {@code [R, n]} to output {@code logits} {@code [R, n,
 *       V]}, every position recomputed without a cache ({@code logits[r, t]} scores the token after
 *       {@code tokens[r, 0..t]});
 *   <li>{@code serving_default}: inputs {@code images} {@code [B, 3, S, S]} and {@code tokens}
 *       int32 {@code [B, n]} (row {@code b} reads image {@code b}) to output {@code logits} {@code
 *       [B, n, V]}.
 * </ul>
 *
 * <pre>{@code
 * try (Pix2seqModel model = new TfBackend().load(checkpoint, config, vocabSize, Device.CPU)) {
 *   SavedModelExport.export(model, Path.of("exported"));
 * }
 * }</pre>
 */
public final class SavedModelExport {

  /** The export format's name: {@value}. */
  public static final String FORMAT = "savedmodel";

  private SavedModelExport() {}

  /**
   * Writes the SavedModel of {@code model}'s current weights into {@code dir}, which must not
   * exist or be empty. The export is written into a temporary sibling folder, then renamed.
   *
   * @throws IllegalArgumentException if {@code model} is not a TensorFlow-backend model or
   *     {@code dir} is a non-empty folder
   * @throws IOException if the folder cannot be written
   */
  public static void export(Pix2seqModel model, Path dir) throws IOException {
    if (!(model instanceof TfModel tfModel)) {
      throw new IllegalArgumentException(
          "only TensorFlow-backend models can be exported as a SavedModel, found "
              + model.getClass().getName());
    }
    Path target = dir.toAbsolutePath();
    if (Files.isDirectory(target)) {
      try (Stream<Path> entries = Files.list(target)) {
        if (entries.findAny().isPresent()) {
          throw new IllegalArgumentException(target + ": export folder must be empty");
        }
      }
      Files.delete(target);
    } else if (Files.exists(target)) {
      throw new IllegalArgumentException(target + ": export target exists and is not a folder");
    }
    Files.createDirectories(target.getParent());
    Path temp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".");
    try {
      Path staging = temp.resolve("model");
      write(tfModel, staging);
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      deleteRecursively(temp);
    }
  }

  private static void write(TfModel model, Path dir) throws IOException {
    List<NamedTensor> weights = model.weightValues();
    int imageSize = model.config().imageSize();
    int vocab = model.vocabSize();
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Map<String, Operand<TFloat32>> constants = new HashMap<>();
      int index = 0;
      for (NamedTensor t : weights) {
        long[] dims = new long[t.shape().length];
        for (int i = 0; i < dims.length; i++) {
          dims[i] = t.shape()[i];
        }
        constants.put(t.name(), tf.withName("weight_" + index++).constant(Shape.of(dims),
            DataBuffers.of(t.data(), true, false)));
      }
      NetworkGraph network = new NetworkGraph(tf, model.layout(), constants::get);

      Placeholder<TFloat32> images = tf.withName("encode_images").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, 3, imageSize, imageSize)));
      Operand<TFloat32> memory =
          tf.withName("encode_memory").identity(network.encode(images, ResidualNoise.NONE));

      Placeholder<TFloat32> memoryInput = tf.withName("logits_memory").placeholder(
          TFloat32.class, Placeholder.shape(
              Shape.of(-1, model.config().imageTokens(), model.config().decoderWidth())));
      Placeholder<TInt32> imageOfRow = tf.withName("logits_image_of_row").placeholder(
          TInt32.class, Placeholder.shape(Shape.of(-1)));
      Placeholder<TInt32> tokens = tf.withName("logits_tokens").placeholder(TInt32.class,
          Placeholder.shape(Shape.of(-1, -1)));
      Operand<TFloat32> logits = tf.withName("logits_logits").reshape(
          logitsOf(network, tf.gather(memoryInput, imageOfRow, tf.constant(0)), tokens),
          logitsShape(tf, network, tokens, vocab));

      Placeholder<TFloat32> servingImages = tf.withName("serving_images").placeholder(
          TFloat32.class, Placeholder.shape(Shape.of(-1, 3, imageSize, imageSize)));
      Placeholder<TInt32> servingTokens = tf.withName("serving_tokens").placeholder(
          TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
      Operand<TFloat32> servingLogits = tf.withName("serving_logits").reshape(
          logitsOf(network, network.encode(servingImages, ResidualNoise.NONE), servingTokens),
          logitsShape(tf, network, servingTokens, vocab));

      try (Session session = new Session(graph)) {
        SavedModelBundle.exporter(dir.toString())
            .withSession(session)
            .withSignatures(
                Signature.builder("encode").input("images", images).output("memory", memory)
                    .build(),
                Signature.builder("logits").input("memory", memoryInput)
                    .input("image_of_row", imageOfRow).input("tokens", tokens)
                    .output("logits", logits).build(),
                Signature.builder(Signature.DEFAULT_KEY).input("images", servingImages)
                    .input("tokens", servingTokens).output("logits", servingLogits).build())
            .export();
      }
    }
  }

  private static Operand<TFloat32> logitsOf(
      NetworkGraph network, Operand<TFloat32> rowMemory, Operand<TInt32> tokens) {
    NetworkGraph.Decoded decoded = network.decode(tokens, null,
        network.crossKeysValues(rowMemory), ResidualNoise.NONE);
    return network.logits(decoded.hidden());
  }

  private static Operand<TInt32> logitsShape(
      Ops tf, NetworkGraph network, Operand<TInt32> tokens, int vocab) {
    return tf.stack(List.of(network.dimension(tokens, 0), network.dimension(tokens, 1),
        tf.constant(vocab)));
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
