package dev.pix2seq.tokenizer;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The merges of a BPE model by token-id pair: the rank (position in the merge list) and the id of
 * the merged token. {@link #apply} segments one word the way HuggingFace tokenizers' BPE model
 * does: while some adjacent pair has a merge, merge the pair of lowest rank, the leftmost one
 * when the same rank occurs twice. Immutable.
 */
final class MergeTable {
  private final Map<Long, long[]> merges;

  /**
   * @param lefts left token id of each merge, in rank order
   * @param rights right token id of each merge
   * @param results id of each merged token
   */
  MergeTable(int[] lefts, int[] rights, int[] results) {
    Map<Long, long[]> m = new HashMap<>(lefts.length * 2);
    for (int rank = 0; rank < lefts.length; rank++) {
      // a pair listed twice keeps its last rank, as the HuggingFace loader does
      m.put(key(lefts[rank], rights[rank]), new long[] {rank, results[rank]});
    }
    this.merges = m;
  }

  /**
   * A distinct key per pair whose {@link Long#hashCode} spreads well: the packed ids times an odd
   * constant (a bijection), since the packed ids alone hash to {@code left ^ right}.
   */
  private static long key(int left, int right) {
    return (((long) left << 32) | (right & 0xFFFFFFFFL)) * 0x9E3779B97F4A7C15L;
  }

  /** The symbols after every applicable merge; {@code symbols} is consumed. */
  int[] apply(int[] symbols) {
    int n = symbols.length;
    while (n > 1) {
      long bestRank = Long.MAX_VALUE;
      int bestPos = -1;
      int bestId = -1;
      for (int i = 0; i + 1 < n; i++) {
        long[] merge = merges.get(key(symbols[i], symbols[i + 1]));
        if (merge != null && merge[0] < bestRank) {
          bestRank = merge[0];
          bestPos = i;
          bestId = (int) merge[1];
        }
      }
      if (bestPos < 0) {
        break;
      }
      symbols[bestPos] = bestId;
      System.arraycopy(symbols, bestPos + 2, symbols, bestPos + 1, n - bestPos - 2);
      n--;
    }
    return n == symbols.length ? symbols : Arrays.copyOf(symbols, n);
  }
}
