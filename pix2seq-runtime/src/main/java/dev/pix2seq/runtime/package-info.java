/**
 * Backend-neutral runtime: checkpoint directories, the training loop and prediction pipelines
 * over any {@link dev.pix2seq.api.model.Backend}.
 */
package dev.pix2seq.runtime;
