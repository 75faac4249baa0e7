/**
 * TensorFlow's checkpoint "tensor bundle" format in pure Java, without TensorFlow: the format of
 * the official Pix2seq release's {@code ckpt-N.index} + {@code ckpt-N.data-SSSSS-of-NNNNN}
 * files (TF2 object-based checkpoints written by {@code tf.train.Checkpoint}).
 *
 * <p>{@link dev.pix2seq.official.bundle.TensorBundleReader} lists the entries of a bundle and
 * reads tensors by name, checking every index block's and every tensor's CRC32C;
 * {@link dev.pix2seq.official.bundle.TensorBundleWriter} writes a single-shard bundle that
 * TensorFlow reads back, streaming tensors to disk. Both follow TensorFlow's
 * {@code tensor_bundle.cc} and its LevelDB-derived table code ({@code tensorflow/core/lib/io}).
 * Not supported: snappy-compressed index blocks (TensorFlow never writes them for bundles),
 * big-endian bundles, reading partitioned (sliced) variables, and variant tensors.
 */
package dev.pix2seq.official.bundle;
