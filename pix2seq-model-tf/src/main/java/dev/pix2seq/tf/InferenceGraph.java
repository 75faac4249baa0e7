package dev.pix2seq.tf;

import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.tf.network.NetworkGraph;
import dev.pix2seq.tf.network.NetworkGraph.KeyValue;
import dev.pix2seq.tf.network.ResidualNoise;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The inference subgraphs of a model, each run with one {@code Session.run}. Key/value lists are
 * flattened per decoder layer as {@code keys_0, values_0, keys_1, values_1, ...}, every entry
 * {@code [rows, heads, length, headWidth]}.
 *
 * <ul>
 *   <li>{@code encode}: images {@code [B, 3, S, S]} to the memory {@code [B, N, Wd]} and every
 *       layer's cross-attention keys and values per image;
 *   <li>{@code step}: new tokens {@code [R, n]}, cached self-attention keys and values ({@code
 *       length} positions, possibly 0) and per-row cross-attention keys and values to the last
 *       position's logits {@code [R, V]} and the grown cache; {@code nextStep} the same for
 *       exactly one new token a row, without the causal mask;
 *   <li>{@code logits}: memory, row-to-image index and tokens {@code [R, n]} to every position's
 *       logits {@code [R * n, V]} without a cache (the reference of cached decoding);
 *   <li>{@code gather}: rows of 2 or 4 key/value lists picked by an index (opening a session,
 *       reordering or dropping rows).
 * </ul>
 */
final class InferenceGraph {

  /** The encode subgraph. */
  record Encode(Placeholder<TFloat32> images, Operand<TFloat32> memory,
      List<Operand<TFloat32>> cross) {}

  /** The cached decoding step. */
  record Step(Placeholder<TInt32> tokens, List<Placeholder<TFloat32>> past,
      List<Placeholder<TFloat32>> cross, Operand<TFloat32> logits,
      List<Operand<TFloat32>> grown) {}

  /** The two cached decoding steps. */
  record Steps(Step step, Step nextStep) {

    /** The step for one new token a row ({@link #nextStep}) or any number ({@link #step}). */
    Step forTokens(boolean oneToken) {
      return oneToken ? nextStep : step;
    }
  }

  /** Full recompute of every position's logits. */
  record Logits(Placeholder<TFloat32> memory, Placeholder<TInt32> imageOfRow,
      Placeholder<TInt32> tokens, Operand<TFloat32> logits) {}

  /** Rows of several tensors picked by one index. */
  record Gather(Placeholder<TInt32> index, List<Placeholder<TFloat32>> inputs,
      List<Operand<TFloat32>> outputs) {}

  final Encode encode;
  final Steps steps;
  final Logits logits;
  final Gather gatherCross;
  final Gather gatherCrossAndSelf;

  InferenceGraph(Ops root, NetworkGraph network) {
    ModelConfig c = network.layout().config();
    int heads = c.decoderHeads();
    int headWidth = c.decoderWidth() / heads;
    int layers = c.decoderLayers();
    int side = c.imageSize();
    Shape cacheShape = Shape.of(-1, heads, -1, headWidth);
    Shape crossShape = Shape.of(-1, heads, c.imageTokens(), headWidth);

    Ops tf = root.withSubScope("encode");
    Placeholder<TFloat32> images = tf.withName("images").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, 3, side, side)));
    Operand<TFloat32> memory =
        tf.withName("memory").identity(network.encode(images, ResidualNoise.NONE));
    encode = new Encode(images, memory, flatten(network.crossKeysValues(memory)));

    steps = steps(root, network);

    tf = root.withSubScope("logits");
    Placeholder<TFloat32> fullMemory = tf.withName("memory").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, c.imageTokens(), c.decoderWidth())));
    Placeholder<TInt32> imageOfRow = tf.withName("image_of_row").placeholder(TInt32.class,
        Placeholder.shape(Shape.of(-1)));
    Placeholder<TInt32> fullTokens = tf.withName("tokens").placeholder(TInt32.class,
        Placeholder.shape(Shape.of(-1, -1)));
    Operand<TFloat32> rowMemory = tf.gather(fullMemory, imageOfRow, tf.constant(0));
    NetworkGraph.Decoded full = network.decode(fullTokens, null,
        network.crossKeysValues(rowMemory), ResidualNoise.NONE);
    logits = new Logits(fullMemory, imageOfRow, fullTokens,
        tf.withName("output").identity(network.logits(full.hidden())));

    List<Shape> crossShapes = new ArrayList<>();
    for (int i = 0; i < 2 * layers; i++) {
      crossShapes.add(crossShape);
    }
    gatherCross = gather(root.withSubScope("gather_cross"), crossShapes);
    List<Shape> allShapes = new ArrayList<>(crossShapes);
    for (int i = 0; i < 2 * layers; i++) {
      allShapes.add(cacheShape);
    }
    gatherCrossAndSelf = gather(root.withSubScope("gather_all"), allShapes);
  }

  /**
   * Both cached steps of {@code network} in {@code root}'s graph, under the name scopes {@code
   * step} and {@code next_step}.
   */
  static Steps steps(Ops root, NetworkGraph network) {
    ModelConfig c = network.layout().config();
    int heads = c.decoderHeads();
    int headWidth = c.decoderWidth() / heads;
    Shape cacheShape = Shape.of(-1, heads, -1, headWidth);
    Shape crossShape = Shape.of(-1, heads, c.imageTokens(), headWidth);
    return new Steps(step(root.withSubScope("step"), network, -1, cacheShape, crossShape),
        step(root.withSubScope("next_step"), network, 1, cacheShape, crossShape));
  }

  /** A cached step over {@code n} new tokens a row ({@code -1}: any number). */
  private static Step step(Ops tf, NetworkGraph network, int n, Shape cacheShape,
      Shape crossShape) {
    int layers = network.layout().config().decoderLayers();
    Placeholder<TInt32> tokens = tf.withName("tokens").placeholder(TInt32.class,
        Placeholder.shape(Shape.of(-1, n)));
    List<Placeholder<TFloat32>> past = placeholders(tf, "past", 2 * layers, cacheShape);
    List<Placeholder<TFloat32>> cross = placeholders(tf, "cross", 2 * layers, crossShape);
    NetworkGraph.Decoded decoded =
        network.decode(tokens, pairs(past), pairs(cross), ResidualNoise.NONE, n == 1);
    return new Step(tokens, past, cross,
        tf.withName("logits").identity(network.lastLogits(decoded)),
        flatten(decoded.selfKeysValues()));
  }

  private static Gather gather(Ops tf, List<Shape> shapes) {
    Placeholder<TInt32> index = tf.withName("index").placeholder(TInt32.class,
        Placeholder.shape(Shape.of(-1)));
    List<Placeholder<TFloat32>> inputs = new ArrayList<>();
    List<Operand<TFloat32>> outputs = new ArrayList<>();
    for (int i = 0; i < shapes.size(); i++) {
      Placeholder<TFloat32> in = tf.withName("input_" + i).placeholder(TFloat32.class,
          Placeholder.shape(shapes.get(i)));
      inputs.add(in);
      outputs.add(tf.withName("output_" + i).gather(in, index, tf.constant(0)));
    }
    return new Gather(index, inputs, outputs);
  }

  private static List<Placeholder<TFloat32>> placeholders(
      Ops tf, String name, int count, Shape shape) {
    List<Placeholder<TFloat32>> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(tf.withName(name + "_" + i).placeholder(TFloat32.class, Placeholder.shape(shape)));
    }
    return out;
  }

  private static List<KeyValue> pairs(List<? extends Operand<TFloat32>> flat) {
    List<KeyValue> out = new ArrayList<>();
    for (int i = 0; i < flat.size(); i += 2) {
      out.add(new KeyValue(flat.get(i), flat.get(i + 1)));
    }
    return out;
  }

  private static List<Operand<TFloat32>> flatten(List<KeyValue> kvs) {
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (KeyValue kv : kvs) {
      out.add(kv.keys());
      out.add(kv.values());
    }
    return out;
  }
}
