package dev.pix2seq.eval.caption;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The n-gram counts of one token sequence, n = 1..{@link #MAX_ORDER}, as the toolkit's
 * {@code precook} builds them. An n-gram is keyed by its tokens joined with single spaces
 * (tokens hold no whitespace, so the key is unique). Each order's map keeps the order of first
 * occurrence, the toolkit's dictionary order, which fixes the order of CIDEr-D's sums.
 */
final class NGramCounts {
  static final int MAX_ORDER = 4;

  private final int length;
  private final List<Map<String, Integer>> byOrder;

  private NGramCounts(int length, List<Map<String, Integer>> byOrder) {
    this.length = length;
    this.byOrder = byOrder;
  }

  static NGramCounts of(List<String> tokens) {
    List<Map<String, Integer>> orders = new ArrayList<>(MAX_ORDER);
    for (int k = 1; k <= MAX_ORDER; k++) {
      Map<String, Integer> counts = new LinkedHashMap<>();
      for (int i = 0; i + k <= tokens.size(); i++) {
        String key = k == 1 ? tokens.get(i) : String.join(" ", tokens.subList(i, i + k));
        counts.merge(key, 1, Integer::sum);
      }
      orders.add(Collections.unmodifiableMap(counts));
    }
    return new NGramCounts(tokens.size(), List.copyOf(orders));
  }

  /** The number of tokens. */
  int length() {
    return length;
  }

  /** The counts of the n-grams of order {@code n} (1-based), in first-occurrence order. */
  Map<String, Integer> order(int n) {
    return byOrder.get(n - 1);
  }
}
