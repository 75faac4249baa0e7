/**
 * The unified vocabulary: its layout ({@link dev.pix2seq.api.vocab.VocabLayout}, default in
 * {@code vocab-layout.json}), the {@link dev.pix2seq.tokenizer.CoordinateQuantizer}, class
 * tokens and the caption {@link dev.pix2seq.tokenizer.TextTokenizer}, combined in {@link
 * dev.pix2seq.tokenizer.Vocabulary}.
 */
package dev.pix2seq.tokenizer;
