package dev.pix2seq.tasks.testing;

import dev.pix2seq.api.config.ConfigIO;
import dev.pix2seq.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A word-level tokenizer over a fixed word list, for tests: lower-cases, splits on white space,
 * maps unknown words to {@code <unk>} (the last id).
 */
public final class WordTokenizer implements TextTokenizer {

  public static final String UNKNOWN = "<unk>";

  private final List<String> words;
  private final Map<String, Integer> ids = new HashMap<>();

  public WordTokenizer(List<String> words) {
    List<String> all = new ArrayList<>(words);
    all.add(UNKNOWN);
    this.words = List.copyOf(all);
    for (int i = 0; i < this.words.size(); i++) {
      ids.put(this.words.get(i), i);
    }
  }

  /** The known words, without {@code <unk>}. */
  public List<String> words() {
    return words.subList(0, words.size() - 1);
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
    String[] parts = trimmed.split("\\s+");
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = ids.getOrDefault(parts[i], words.size() - 1);
    }
    return out;
  }

  @Override
  public String decode(int[] tokenIds) {
    StringBuilder sb = new StringBuilder();
    for (int id : tokenIds) {
      if (id >= 0 && id < words.size()) {
        if (sb.length() > 0) {
          sb.append(' ');
        }
        sb.append(words.get(id));
      }
    }
    return sb.toString();
  }

  @Override
  public void save(Path tokenizerJson) throws IOException {
    String json = ConfigIO.mapper().writeValueAsString(Map.of("words", words));
    ConfigIO.writeAtomically(tokenizerJson, json.getBytes(StandardCharsets.UTF_8));
  }
}
