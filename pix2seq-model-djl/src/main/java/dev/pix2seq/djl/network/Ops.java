package dev.pix2seq.djl.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The few fused PyTorch operators the network is built from, each one native call. Results
 * belong to the manager of the first operand and to the current {@link ai.djl.ndarray.NDScope}.
 */
public final class Ops {

  private Ops() {}

  /** {@code x @ weight^T + bias}, weight {@code [out, in]}. */
  public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
    return Linear.linear(x, weight, bias).singletonOrThrow();
  }

  /**
   * LayerNorm over the last axis only: {@code (x - mean) / sqrt(var + eps) * gain + bias}, with
   * the biased variance.
   */
  public static NDArray layerNorm(NDArray x, NDArray gain, NDArray bias, double eps) {
    return JniUtils.layerNorm(
        (PtNDArray) x, new Shape(gain.getShape().get(0)), (PtNDArray) gain, (PtNDArray) bias, eps);
  }

  /** Exact GELU: {@code 0.5 x (1 + erf(x / sqrt 2))}. */
  public static NDArray gelu(NDArray x) {
    return Activation.gelu(x);
  }

  /** 2D convolution of {@code [B, C, H, W]} input, square kernel, no dilation, one group. */
  public static NDArray conv2d(NDArray x, NDArray weight, NDArray bias, int stride, int padding) {
    return Conv2d.conv2d(
            x, weight, bias, new Shape(stride, stride), new Shape(padding, padding),
            new Shape(1, 1), 1)
        .singletonOrThrow();
  }

  /** Rows of {@code table} picked by the int64 ids in {@code tokens}. */
  public static NDArray embedding(NDArray tokens, NDArray table) {
    return Embedding.embedding(tokens, table, SparseFormat.DENSE).singletonOrThrow();
  }
}
