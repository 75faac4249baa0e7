/**
 * The unified vocabulary: its layout ({@link dev.pix2seq.api.vocab.VocabLayout}, default in
 * {@code vocab-layout.json}), the {@link dev.pix2seq.tokenizer.CoordinateQuantizer}, class
 * tokens and the caption {@link dev.pix2seq.tokenizer.TextTokenizer}, combined in {@link
 * dev.pix2seq.tokenizer.Vocabulary}.
 *
 * <p>Caption tokenizers: {@link dev.pix2seq.tokenizer.BpeTokenizer}, trainable, pure Java, saved
 * as a HuggingFace {@code tokenizer.json} that the tokenizers library encodes to the same ids;
 * {@link dev.pix2seq.tokenizer.SentencePieceTokenizer}, pure Java, for sentencepiece unigram
 * {@code .model} files (read by {@link dev.pix2seq.tokenizer.SentencePieceModelFile}) such as the
 * official Pix2seq caption vocabulary, decoding and encoding as the sentencepiece library does and
 * saved as a HuggingFace Unigram {@code tokenizer.json};
 * {@link dev.pix2seq.tokenizer.HuggingFaceTextTokenizer} for any other {@code tokenizer.json},
 * run natively through DJL; {@link dev.pix2seq.tokenizer.TextTokenizers#load} picks one by the
 * file's shape.
 */
package dev.pix2seq.tokenizer;
