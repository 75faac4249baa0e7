/**
 * The network as explicit NDArray math over named parameters (internal to the DJL backend):
 * parameter names and shapes ({@link dev.pix2seq.api.network.ParameterLayout}), weights
 * ({@link dev.pix2seq.djl.network.Parameters}), the forward pass with an optional key/value
 * cache ({@link dev.pix2seq.djl.network.Pix2seqNetwork}, {@link
 * dev.pix2seq.djl.network.KvCache}). The math is specified in {@code docs/checkpoint-format.md}.
 */
package dev.pix2seq.djl.network;
