/**
 * The network as TensorFlow graph operations over named parameters (internal to the TensorFlow
 * backend): parameter names and shapes ({@link dev.pix2seq.api.network.ParameterLayout}), fresh
 * weights ({@link dev.pix2seq.api.network.InitialWeights}), the forward pass with an optional
 * key/value cache ({@link dev.pix2seq.tf.network.NetworkGraph}). The math is specified in {@code
 * docs/checkpoint-format.md}.
 */
package dev.pix2seq.tf.network;
