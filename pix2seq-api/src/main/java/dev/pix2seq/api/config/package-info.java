/**
 * Typed, Jackson-bound configuration: one record per concern ({@link
 * dev.pix2seq.api.config.ModelConfig}, {@link dev.pix2seq.api.config.TrainConfig}, {@link
 * dev.pix2seq.api.config.InferenceConfig}), each with a {@code version}, defaults named in one
 * place, and unknown fields rejected by name ({@link dev.pix2seq.api.config.ConfigIO}).
 */
package dev.pix2seq.api.config;
