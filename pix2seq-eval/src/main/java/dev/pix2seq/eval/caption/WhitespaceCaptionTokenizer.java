package dev.pix2seq.eval.caption;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Python's {@code str.split()}: runs of Unicode whitespace separate tokens. */
final class WhitespaceCaptionTokenizer implements CaptionTokenizer {
  static final WhitespaceCaptionTokenizer INSTANCE = new WhitespaceCaptionTokenizer();

  private WhitespaceCaptionTokenizer() {}

  @Override
  public List<String> tokenize(String caption) {
    Objects.requireNonNull(caption, "caption");
    List<String> tokens = new ArrayList<>();
    int start = -1;
    int i = 0;
    while (i < caption.length()) {
      int cp = caption.codePointAt(i);
      if (isPythonSpace(cp)) {
        if (start >= 0) {
          tokens.add(caption.substring(start, i));
          start = -1;
        }
      } else if (start < 0) {
        start = i;
      }
      i += Character.charCount(cp);
    }
    if (start >= 0) {
      tokens.add(caption.substring(start));
    }
    return List.copyOf(tokens);
  }

  /** Whether Python's {@code str.isspace()} holds for this code point. */
  static boolean isPythonSpace(int cp) {
    return Character.isWhitespace(cp)
        || cp == 0x85 || cp == 0xA0 || cp == 0x2007 || cp == 0x202F;
  }

  @Override
  public String toString() {
    return "WhitespaceCaptionTokenizer";
  }
}
