/**
 * The official Pix2seq release on the JVM: import the authors' checkpoints (TF2 object-based
 * checkpoints of the {@code encoder_ar_decoder} ViT model) into pix2seq-java checkpoint
 * directories that every backend loads.
 *
 * <p>{@link dev.pix2seq.official.OfficialImport} reads a checkpoint with {@link
 * dev.pix2seq.official.bundle.TensorBundleReader}, takes the network's sizes from its variable
 * shapes ({@link dev.pix2seq.official.OfficialArchitecture}) and the image size and tasks from the
 * run's {@code config.json} ({@link dev.pix2seq.official.OfficialRunConfig}) or a released
 * variant ({@link dev.pix2seq.official.OfficialVariant}), maps every variable onto our parameters
 * ({@link dev.pix2seq.official.ReleasedLayout}, {@link dev.pix2seq.official.VariableConversion})
 * and writes the checkpoint with the {@link dev.pix2seq.api.config.NetworkVariant#OFFICIAL}
 * network. {@link dev.pix2seq.official.ReleasedCheckpointWriter} goes the other way.
 */
package dev.pix2seq.official;
