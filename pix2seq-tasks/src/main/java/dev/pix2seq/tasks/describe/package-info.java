/**
 * Image captioning as a sequence: {@code [describe]} then the caption's text tokens, then {@code
 * EOS} (see {@link dev.pix2seq.tasks.describe.CaptionCodec}).
 */
package dev.pix2seq.tasks.describe;
