/**
 * The DJL (PyTorch engine) backend: {@link dev.pix2seq.djl.DjlBackend} creates, loads and trains
 * the Pix2seq network; {@link dev.pix2seq.djl.DjlBackendProvider} registers it under the name
 * {@code djl} for {@link java.util.ServiceLoader} and Guice. The rest of the package is internal.
 */
package dev.pix2seq.djl;
