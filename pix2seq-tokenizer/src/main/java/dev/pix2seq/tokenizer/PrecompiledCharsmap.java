package dev.pix2seq.tokenizer;

import java.util.Arrays;

/**
 * A sentencepiece {@code precompiled_charsmap}: normalisation rules compiled into a
 * double-array trie (the darts-clone layout) over UTF-8 byte strings, followed by the
 * NUL-terminated replacement strings. The blob is a little-endian uint32 trie size in bytes, the
 * trie units (uint32 each), then the replacements; a rule's value is the offset of its
 * replacement. Immutable and thread-safe.
 */
final class PrecompiledCharsmap {
  private final byte[] blob;
  private final int[] units;
  private final int replacementsStart;

  private PrecompiledCharsmap(byte[] blob, int[] units, int replacementsStart) {
    this.blob = blob;
    this.units = units;
    this.replacementsStart = replacementsStart;
  }

  /**
   * Parses a blob (copied).
   *
   * @throws IllegalArgumentException when the blob is too short or its trie size does not fit
   */
  static PrecompiledCharsmap parse(byte[] blob) {
    if (blob.length <= 4) {
      throw new IllegalArgumentException(
          "expected more than 4 bytes (trie size and trie), found " + blob.length);
    }
    long trieBytes = (blob[0] & 0xFFL) | (blob[1] & 0xFFL) << 8 | (blob[2] & 0xFFL) << 16
        | (blob[3] & 0xFFL) << 24;
    if (trieBytes < 4 || trieBytes + 4 > blob.length) {
      throw new IllegalArgumentException(
          "the trie size " + trieBytes + " does not fit a blob of " + blob.length + " bytes");
    }
    int[] units = new int[(int) (trieBytes / 4)];
    for (int i = 0; i < units.length; i++) {
      int at = 4 + 4 * i;
      units[i] = (blob[at] & 0xFF) | (blob[at + 1] & 0xFF) << 8 | (blob[at + 2] & 0xFF) << 16
          | (blob[at + 3] & 0xFF) << 24;
    }
    return new PrecompiledCharsmap(blob.clone(), units, 4 + (int) trieBytes);
  }

  /**
   * The longest rule matching a prefix of {@code input[from, to)}.
   *
   * @param match set to {offset of the replacement in the blob, its length}, when found
   * @return the number of input bytes the rule consumes, 0 when no rule matches
   */
  int longestMatch(byte[] input, int from, int to, int[] match) {
    int longest = 0;
    int nodePos = offset(units[0]);
    for (int i = from; i < to; i++) {
      int c = input[i] & 0xFF;
      nodePos ^= c;
      if (nodePos < 0 || nodePos >= units.length) {
        break;
      }
      int unit = units[nodePos];
      if ((unit & 0x800000FF) != c) {
        break;
      }
      nodePos ^= offset(unit);
      if (((unit >>> 8) & 1) == 1) {
        if (nodePos < 0 || nodePos >= units.length) {
          break;
        }
        int value = units[nodePos] & 0x7FFFFFFF;
        int start = replacementsStart + value;
        if (value >= blob.length - replacementsStart) {
          break;
        }
        int stop = start;
        while (stop < blob.length && blob[stop] != 0) {
          stop++;
        }
        longest = i - from + 1;
        match[0] = start;
        match[1] = stop - start;
      }
    }
    return longest;
  }

  /** The blob's bytes {@code [from, from + length)}: a replacement {@link #longestMatch} found. */
  byte[] blobBytes(int from, int length) {
    return Arrays.copyOfRange(blob, from, from + length);
  }

  private static int offset(int unit) {
    return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PrecompiledCharsmap other && Arrays.equals(blob, other.blob);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(blob);
  }
}
