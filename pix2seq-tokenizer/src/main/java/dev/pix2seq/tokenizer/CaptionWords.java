package dev.pix2seq.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text steps in front of the BPE model, written to give what HuggingFace tokenizers' {@code
 * Lowercase} normalizer and {@code Whitespace} pre-tokenizer give:
 *
 * <ul>
 *   <li>{@link #lowercase}: each code point on its own is lower-cased with the full Unicode
 *       mapping ({@code "İ"} becomes {@code "i̇"}); there is no context rule, so a word-final
 *       {@code "Σ"} becomes {@code "σ"}, not {@code "ς"} as {@link String#toLowerCase} would do.
 *   <li>{@link #split}: the matches of {@code \w+|[^\w\s]+} with Unicode classes, that is maximal
 *       runs of word characters (Alphabetic, marks, decimal digits, connector punctuation, join
 *       controls) and maximal runs of other non-space characters; White_Space separates them.
 * </ul>
 *
 * Character properties come from the running JDK's Unicode tables (Unicode 13 on Java 17), so
 * code points assigned in later Unicode versions may be classed differently than by a
 * tokenizers build with newer tables.
 */
final class CaptionWords {
  private CaptionWords() {}

  /** The text with every code point lower-cased independently. */
  static String lowercase(String text) {
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (c >= 0x80 || c >= 'A' && c <= 'Z') {
        break;
      }
      i++;
    }
    if (i == n) {
      return text;
    }
    StringBuilder sb = new StringBuilder(n + 8);
    sb.append(text, 0, i);
    while (i < n) {
      int cp = text.codePointAt(i);
      int len = Character.charCount(cp);
      if (cp < 0x80) {
        sb.append(cp >= 'A' && cp <= 'Z' ? (char) (cp + ('a' - 'A')) : (char) cp);
      } else {
        sb.append(text.substring(i, i + len).toLowerCase(Locale.ROOT));
      }
      i += len;
    }
    return sb.toString();
  }

  /** The words of an already lower-cased text, in order. */
  static List<String> split(String text) {
    List<String> words = new ArrayList<>();
    int n = text.length();
    int start = -1;
    boolean startIsWord = false;
    int i = 0;
    while (i < n) {
      int cp = text.codePointAt(i);
      boolean space = isWhiteSpace(cp);
      boolean word = !space && isWordChar(cp);
      if (start >= 0 && (space || word != startIsWord)) {
        words.add(text.substring(start, i));
        start = -1;
      }
      if (start < 0 && !space) {
        start = i;
        startIsWord = word;
      }
      i += Character.charCount(cp);
    }
    if (start >= 0) {
      words.add(text.substring(start));
    }
    return words;
  }

  /** Whether {@code cp} is matched by a Unicode-aware {@code \w}. */
  static boolean isWordChar(int cp) {
    if (cp < 0x80) {
      return cp >= 'a' && cp <= 'z' || cp >= 'A' && cp <= 'Z' || cp >= '0' && cp <= '9'
          || cp == '_';
    }
    if (Character.isAlphabetic(cp) || cp == 0x200C || cp == 0x200D) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK
        || type == Character.ENCLOSING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || type == Character.DECIMAL_DIGIT_NUMBER
        || type == Character.CONNECTOR_PUNCTUATION;
  }

  /** Whether {@code cp} has the Unicode White_Space property (what Unicode {@code \s} matches). */
  static boolean isWhiteSpace(int cp) {
    if (cp <= 0x20) {
      return cp == 0x20 || cp >= 0x09 && cp <= 0x0D;
    }
    if (cp < 0x85) {
      return false;
    }
    return cp == 0x85
        || cp == 0xA0
        || cp == 0x1680
        || cp >= 0x2000 && cp <= 0x200A
        || cp == 0x2028
        || cp == 0x2029
        || cp == 0x202F
        || cp == 0x205F
        || cp == 0x3000;
  }
}
