/**
 * Training pieces of the TensorFlow backend (internal): residual noise masks drawn in Java and
 * fed to the graph ({@link dev.pix2seq.tf.training.MaskedResidual}, {@link
 * dev.pix2seq.tf.training.ResidualMasks}) and the AdamW update as graph operations ({@link
 * dev.pix2seq.tf.training.AdamWGraph}).
 */
package dev.pix2seq.tf.training;
