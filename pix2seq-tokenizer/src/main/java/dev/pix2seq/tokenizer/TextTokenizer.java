package dev.pix2seq.tokenizer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Turns caption text into text-token ids {@code 0..size()-1} and back. The unified vocabulary
 * shifts them by {@link dev.pix2seq.api.vocab.VocabLayout#textBase()}. Implementations are
 * immutable and thread-safe.
 */
public interface TextTokenizer {

  /** Number of text token ids. */
  int size();

  /** The text as the tokenizer sees it; {@code decode(encode(t))} equals {@code normalize(t)}. */
  String normalize(String text);

  /** Token ids of {@code text}. */
  int[] encode(String text);

  /** The text of {@code ids}; ids outside {@code 0..size()-1} are skipped. */
  String decode(int[] ids);

  /** Writes the tokenizer as a HuggingFace {@code tokenizer.json}, atomically. */
  void save(Path tokenizerJson) throws IOException;
}
