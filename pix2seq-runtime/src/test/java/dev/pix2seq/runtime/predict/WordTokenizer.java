package dev.pix2seq.runtime.predict;

import dev.pix2seq.tokenizer.TextTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** A word-level tokenizer over a fixed word list, for tests; unknown words are dropped. */
final class WordTokenizer implements TextTokenizer {
  private final List<String> words;

  WordTokenizer(List<String> words) {
    this.words = List.copyOf(words);
  }

  @Override
  public int size() {
    return words.size();
  }

  @Override
  public String normalize(String text) {
    return decode(encode(text));
  }

  @Override
  public int[] encode(String text) {
    String trimmed = text.trim().toLowerCase(Locale.ROOT);
    if (trimmed.isEmpty()) {
      return new int[0];
    }
    return java.util.Arrays.stream(trimmed.split("\\s+"))
        .mapToInt(words::indexOf)
        .filter(i -> i >= 0)
        .toArray();
  }

  @Override
  public String decode(int[] ids) {
    StringBuilder sb = new StringBuilder();
    for (int id : ids) {
      if (id >= 0 && id < words.size()) {
        sb.append(sb.length() > 0 ? " " : "").append(words.get(id));
      }
    }
    return sb.toString();
  }

  @Override
  public void save(Path tokenizerJson) {
    throw new UnsupportedOperationException("test tokenizer is not saved");
  }
}
