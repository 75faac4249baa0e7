/**
 * The TensorFlow Java backend (graph mode): {@link dev.pix2seq.tf.TfBackend} creates, loads and
 * trains the Pix2seq network; {@link dev.pix2seq.tf.TfBackendProvider} registers it under the
 * name {@code tf} for {@link java.util.ServiceLoader} and Guice; {@link
 * dev.pix2seq.tf.SavedModelExport} writes a model as a TensorFlow SavedModel. The rest of the
 * package is internal: one graph and session per model, weights as resource variables, one {@code
 * Session.run} per encode, decoding step and training step.
 */
package dev.pix2seq.tf;
