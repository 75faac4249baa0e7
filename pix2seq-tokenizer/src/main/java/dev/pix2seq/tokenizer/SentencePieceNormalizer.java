package dev.pix2seq.tokenizer;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/**
 * The normalisation sentencepiece applies before segmentation, step by step as its {@code
 * Normalizer} does, on UTF-8 bytes:
 *
 * <ol>
 *   <li>at each position, a user-defined symbol (longest match) is kept as it is; otherwise the
 *       longest rule of the precompiled character map replaces its match; otherwise one UTF-8
 *       character is kept, a malformed byte becoming U+FFFD;
 *   <li>with {@code remove_extra_whitespaces}: units that normalise to a single space are dropped
 *       at the start, leading spaces of a unit are dropped after a unit that ended with a space,
 *       and trailing spaces are dropped at the end;
 *   <li>with {@code escape_whitespaces}, each space becomes {@code ▁} (U+2581);
 *   <li>with {@code add_dummy_prefix}, one space symbol goes before the text (after it when {@code
 *       treat_whitespace_as_suffix}), unless the text is empty after step 2.
 * </ol>
 *
 * Immutable and thread-safe.
 */
final class SentencePieceNormalizer {
  /** U+2581 LOWER ONE EIGHTH BLOCK, which stands for a space in pieces. */
  static final String SPACE_SYMBOL = "\u2581";

  private static final byte[] SPACE_SYMBOL_UTF8 = SPACE_SYMBOL.getBytes(StandardCharsets.UTF_8);
  private static final byte[] REPLACEMENT_UTF8 = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

  private final PrecompiledCharsmap charsmap;
  private final boolean addDummyPrefix;
  private final boolean removeExtraWhitespaces;
  private final boolean escapeWhitespaces;
  private final boolean treatWhitespaceAsSuffix;
  private final Set<String> userSymbols;
  private final int longestUserSymbol;

  /**
   * @param charsmap the rules, or null for none (identity)
   * @param userSymbols user-defined symbols as ISO-8859-1 strings of their UTF-8 bytes
   */
  SentencePieceNormalizer(
      PrecompiledCharsmap charsmap,
      boolean addDummyPrefix,
      boolean removeExtraWhitespaces,
      boolean escapeWhitespaces,
      boolean treatWhitespaceAsSuffix,
      Set<String> userSymbols) {
    this.charsmap = charsmap;
    this.addDummyPrefix = addDummyPrefix;
    this.removeExtraWhitespaces = removeExtraWhitespaces;
    this.escapeWhitespaces = escapeWhitespaces;
    this.treatWhitespaceAsSuffix = treatWhitespaceAsSuffix;
    this.userSymbols = Set.copyOf(userSymbols);
    this.longestUserSymbol = userSymbols.stream().mapToInt(String::length).max().orElse(0);
  }

  /** The normalised UTF-8 bytes of {@code text}. */
  byte[] normalize(String text) {
    return normalize(utf8(text));
  }

  /** The normalised form of UTF-8 {@code input}. */
  byte[] normalize(byte[] input) {
    int pos = 0;
    int end = input.length;
    Unit unit = new Unit();
    if (removeExtraWhitespaces) {
      while (pos < end) {
        prefix(input, pos, unit);
        if (!unit.isSingleSpace()) {
          break;
        }
        pos += unit.consumed;
      }
    }
    if (pos >= end) {
      return new byte[0];
    }
    ByteSink out = new ByteSink(3 * (end - pos) + 3);
    if (!treatWhitespaceAsSuffix && addDummyPrefix) {
      addSpace(out);
    }
    boolean previousEndsWithSpace = removeExtraWhitespaces;
    while (pos < end) {
      prefix(input, pos, unit);
      int from = unit.from;
      if (previousEndsWithSpace) {
        while (from < unit.to && unit.data[from] == ' ') {
          from++;
        }
      }
      if (from < unit.to) {
        for (int i = from; i < unit.to; i++) {
          if (escapeWhitespaces && unit.data[i] == ' ') {
            out.add(SPACE_SYMBOL_UTF8);
          } else {
            out.add(unit.data[i]);
          }
        }
        previousEndsWithSpace = unit.data[unit.to - 1] == ' ';
      }
      pos += unit.consumed;
      if (!removeExtraWhitespaces) {
        previousEndsWithSpace = false;
      }
    }
    if (removeExtraWhitespaces) {
      byte[] space = escapeWhitespaces ? SPACE_SYMBOL_UTF8 : new byte[] {' '};
      while (out.endsWith(space)) {
        out.shrink(space.length);
      }
    }
    if (treatWhitespaceAsSuffix && addDummyPrefix) {
      addSpace(out);
    }
    return out.toArray();
  }

  private void addSpace(ByteSink out) {
    if (escapeWhitespaces) {
      out.add(SPACE_SYMBOL_UTF8);
    } else {
      out.add((byte) ' ');
    }
  }

  /** The normalised form of the unit at {@code pos}: a user symbol, a rule, or one character. */
  private void prefix(byte[] input, int pos, Unit unit) {
    int userLength = userSymbolAt(input, pos);
    if (userLength > 0) {
      unit.set(input, pos, pos + userLength, userLength);
      return;
    }
    if (charsmap != null) {
      int[] match = new int[2];
      int consumed = charsmap.longestMatch(input, pos, input.length, match);
      if (consumed > 0) {
        byte[] replacement = charsmap.blobBytes(match[0], match[1]);
        unit.set(replacement, 0, replacement.length, consumed);
        return;
      }
    }
    int length = validCharLength(input, pos, input.length);
    if (length == 0) {
      unit.set(REPLACEMENT_UTF8, 0, 3, 1);
    } else {
      unit.set(input, pos, pos + length, length);
    }
  }

  private int userSymbolAt(byte[] input, int pos) {
    if (longestUserSymbol == 0) {
      return 0;
    }
    int max = Math.min(longestUserSymbol, input.length - pos);
    String window = new String(input, pos, max, StandardCharsets.ISO_8859_1);
    for (int length = max; length > 0; length--) {
      if (userSymbols.contains(window.substring(0, length))) {
        return length;
      }
    }
    return 0;
  }

  /**
   * The length of the UTF-8 character at {@code pos} when it is well formed (shortest form, no
   * surrogate, at most U+10FFFF), else 0: sentencepiece's {@code IsValidDecodeUTF8}.
   */
  static int validCharLength(byte[] s, int pos, int end) {
    int b0 = s[pos] & 0xFF;
    int len = end - pos;
    if (b0 < 0x80) {
      return 1;
    }
    if (len >= 2 && (b0 & 0xE0) == 0xC0) {
      int cp = (b0 & 0x1F) << 6 | (s[pos + 1] & 0x3F);
      return isTrail(s[pos + 1]) && cp >= 0x80 ? 2 : 0;
    }
    if (len >= 3 && (b0 & 0xF0) == 0xE0) {
      int cp = (b0 & 0x0F) << 12 | (s[pos + 1] & 0x3F) << 6 | (s[pos + 2] & 0x3F);
      return isTrail(s[pos + 1]) && isTrail(s[pos + 2]) && cp >= 0x800 && isCodePoint(cp)
          ? 3
          : 0;
    }
    if (len >= 4 && (b0 & 0xF8) == 0xF0) {
      int cp = (b0 & 0x07) << 18 | (s[pos + 1] & 0x3F) << 12 | (s[pos + 2] & 0x3F) << 6
          | (s[pos + 3] & 0x3F);
      return isTrail(s[pos + 1]) && isTrail(s[pos + 2]) && isTrail(s[pos + 3])
              && cp >= 0x10000 && isCodePoint(cp)
          ? 4
          : 0;
    }
    return 0;
  }

  /** The byte length of the UTF-8 character that starts with {@code lead} (1 for a stray byte). */
  static int charLength(byte lead) {
    int high = (lead & 0xFF) >>> 4;
    return high < 12 ? 1 : high < 14 ? 2 : high == 14 ? 3 : 4;
  }

  private static boolean isTrail(byte b) {
    return (b & 0xC0) == 0x80;
  }

  private static boolean isCodePoint(int cp) {
    return cp < 0xD800 || cp >= 0xE000 && cp <= 0x10FFFF;
  }

  /** UTF-8 of {@code text}, an unpaired surrogate becoming U+FFFD. */
  static byte[] utf8(String text) {
    CharsetEncoder encoder =
        StandardCharsets.UTF_8
            .newEncoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE)
            .replaceWith(REPLACEMENT_UTF8);
    try {
      ByteBuffer buffer = encoder.encode(CharBuffer.wrap(text));
      return Arrays.copyOf(buffer.array(), buffer.limit());
    } catch (CharacterCodingException e) {
      throw new IllegalStateException("UTF-8 encoding with replacement cannot fail", e);
    }
  }

  /** One normalised unit: {@code data[from, to)}, standing for {@code consumed} input bytes. */
  private static final class Unit {
    byte[] data;
    int from;
    int to;
    int consumed;

    void set(byte[] data, int from, int to, int consumed) {
      this.data = data;
      this.from = from;
      this.to = to;
      this.consumed = consumed;
    }

    boolean isSingleSpace() {
      return to - from == 1 && data[from] == ' ';
    }
  }

  /** A growable byte array. */
  private static final class ByteSink {
    private byte[] data;
    private int size;

    ByteSink(int capacity) {
      data = new byte[Math.max(capacity, 16)];
    }

    void add(byte b) {
      if (size == data.length) {
        data = Arrays.copyOf(data, size * 2);
      }
      data[size++] = b;
    }

    void add(byte[] bytes) {
      for (byte b : bytes) {
        add(b);
      }
    }

    boolean endsWith(byte[] suffix) {
      if (size < suffix.length) {
        return false;
      }
      for (int i = 0; i < suffix.length; i++) {
        if (data[size - suffix.length + i] != suffix[i]) {
          return false;
        }
      }
      return true;
    }

    void shrink(int bytes) {
      size -= bytes;
    }

    byte[] toArray() {
      return Arrays.copyOf(data, size);
    }
  }
}
