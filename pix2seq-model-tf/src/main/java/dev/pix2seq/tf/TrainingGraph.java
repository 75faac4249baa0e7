package dev.pix2seq.tf;

import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.tf.network.NetworkGraph;
import dev.pix2seq.api.network.ParameterLayout;
import dev.pix2seq.api.network.ParameterSpec;
import dev.pix2seq.tf.training.AdamWGraph;
import dev.pix2seq.tf.training.MaskedResidual;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.NoOp;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The training step as one subgraph of a model's graph: forward in training mode over a
 * concatenated batch (the rows of every batch of the step, text padded to the longest), the
 * weighted token cross-entropy, gradients, global-norm clipping and the guarded AdamW update of
 * every weight and moment. Each row's loss weights are fed with a row factor ({@code
 * batchWeight / sum of the batch's weights}), so {@code loss = sum over rows of factor * sum(ce *
 * w)} is {@code sum_k weight_k * loss_k}; the per-row sums are fetched so that each batch's own
 * loss can be reported. Built once per model; the moments are variables of the same session.
 */
final class TrainingGraph {

  final Placeholder<TFloat32> images;
  final Placeholder<TInt32> tokens;
  final Placeholder<TInt32> targets;
  final Placeholder<TFloat32> weights;
  final Placeholder<TFloat32> rowFactors;
  final Placeholder<TFloat32> clipNorm;
  final MaskedResidual noise;
  final AdamWGraph adamW;
  final Operand<TFloat32> loss;
  final Operand<TFloat32> rowLosses;
  final Operand<TFloat32> gradientNorm;
  final NoOp update;
  final NoOp resetMoments;
  final VariableSet firstMoments;
  final VariableSet secondMoments;

  TrainingGraph(Graph graph, Ops root, VariableSet parameters, NetworkGraph network) {
    ParameterLayout layout = network.layout();
    ModelConfig c = layout.config();
    Ops tf = root.withSubScope("train");
    int side = c.imageSize();
    images = tf.withName("images").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, 3, side, side)));
    tokens = tf.withName("tokens").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
    targets = tf.withName("targets").placeholder(TInt32.class,
        Placeholder.shape(Shape.of(-1, -1)));
    weights = tf.withName("weights").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, -1)));
    rowFactors = tf.withName("row_factors").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1)));
    clipNorm = tf.withName("clip_norm").placeholder(TFloat32.class,
        Placeholder.shape(Shape.scalar()));
    noise = new MaskedResidual(tf, c.dropout(), c.dropPath());

    Operand<TFloat32> memory = network.encode(images, noise);
    NetworkGraph.Decoded decoded =
        network.decode(tokens, null, network.crossKeysValues(memory), noise);
    Operand<TFloat32> logits = network.logits(decoded.hidden());
    Operand<TFloat32> labels = tf.oneHot(tf.reshape(targets, tf.constant(new int[] {-1})),
        tf.constant(layout.vocabSize()), tf.constant(1f), tf.constant(0f));
    Operand<TFloat32> ce = tf.nn.softmaxCrossEntropyWithLogits(logits, labels).loss();
    Operand<TFloat32> weighted = tf.math.mul(
        tf.reshape(ce, tf.shape(targets)), weights);
    rowLosses = tf.withName("row_losses").sum(weighted, tf.constant(1));
    loss = tf.withName("loss").sum(tf.math.mul(rowLosses, rowFactors), tf.constant(0));

    List<ParameterSpec> specs = layout.specs();
    Output<?>[] values = new Output<?>[specs.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = parameters.value(specs.get(i).name()).asOutput();
    }
    Output<?>[] gradients = graph.addGradients(loss.asOutput(), values);
    List<Operand<TFloat32>> squares = new ArrayList<>();
    for (int i = 0; i < gradients.length; i++) {
      int[] axes = new int[specs.get(i).shape().length];
      for (int a = 0; a < axes.length; a++) {
        axes[a] = a;
      }
      squares.add(tf.sum(tf.math.square(floatOutput(gradients[i])), tf.constant(axes)));
    }
    gradientNorm = tf.withName("gradient_norm").math.sqrt(tf.math.addN(squares));
    Operand<TBool> finite = tf.math.isFinite(gradientNorm);
    Operand<TFloat32> scale = tf.select(
        tf.math.logicalAnd(tf.math.greater(clipNorm, tf.constant(0f)),
            tf.math.greater(gradientNorm, clipNorm)),
        tf.math.div(clipNorm, gradientNorm), tf.constant(1f));

    Map<String, int[]> momentShapes = new LinkedHashMap<>();
    for (ParameterSpec spec : specs) {
      momentShapes.put(spec.name(), spec.shape());
    }
    firstMoments = new VariableSet(tf, "adamw_m", momentShapes);
    secondMoments = new VariableSet(tf, "adamw_v", momentShapes);
    List<AdamWGraph.Slot> slots = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      String name = specs.get(i).name();
      slots.add(new AdamWGraph.Slot(parameters.value(name), parameters.handle(name),
          firstMoments.value(name), firstMoments.handle(name), secondMoments.value(name),
          secondMoments.handle(name), floatOutput(gradients[i]), specs.get(i).decayed()));
    }
    adamW = new AdamWGraph(tf.withSubScope("adamw"), slots, scale, finite);
    update = tf.withControlDependencies(adamW.assignments).withName("update").noOp();
    List<Op> zeros = new ArrayList<>(firstMoments.zeroAssignments(tf));
    zeros.addAll(secondMoments.zeroAssignments(tf));
    resetMoments = tf.withControlDependencies(zeros).withName("reset_moments").noOp();
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> floatOutput(Output<?> output) {
    if (output.type() != TFloat32.class) {
      throw new IllegalStateException(
          "gradient " + output + " has type " + output.type().getSimpleName() + ", expected float");
    }
    return (Output<TFloat32>) output;
  }
}
