package dev.pix2seq.api.vocab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * An immutable set of token ids as sorted, disjoint ranges; what a decoding constraint allows
 * next. Small and cheap: constraints build one per step.
 */
public final class TokenSet {
  private static final TokenSet EMPTY = new TokenSet(List.of());

  private final List<TokenRange> ranges;

  private TokenSet(List<TokenRange> ranges) {
    this.ranges = ranges;
  }

  /** The set of the given ranges (they may overlap or be unsorted). */
  public static TokenSet of(TokenRange... ranges) {
    return of(Arrays.asList(ranges));
  }

  /** The set of the given ranges (they may overlap or be unsorted). */
  public static TokenSet of(List<TokenRange> ranges) {
    List<TokenRange> sorted = new ArrayList<>();
    for (TokenRange r : ranges) {
      if (r.size() > 0) {
        sorted.add(r);
      }
    }
    sorted.sort(Comparator.comparingInt(TokenRange::start));
    List<TokenRange> merged = new ArrayList<>();
    for (TokenRange r : sorted) {
      if (!merged.isEmpty() && merged.get(merged.size() - 1).end() >= r.start()) {
        TokenRange last = merged.remove(merged.size() - 1);
        merged.add(new TokenRange(last.start(), Math.max(last.end(), r.end())));
      } else {
        merged.add(r);
      }
    }
    return merged.isEmpty() ? EMPTY : new TokenSet(List.copyOf(merged));
  }

  /** The set of single tokens. */
  public static TokenSet ofTokens(int... tokens) {
    List<TokenRange> rs = new ArrayList<>(tokens.length);
    for (int t : tokens) {
      rs.add(TokenRange.single(t));
    }
    return of(rs);
  }

  public static TokenSet empty() {
    return EMPTY;
  }

  /** This set plus another. */
  public TokenSet union(TokenSet other) {
    List<TokenRange> all = new ArrayList<>(ranges);
    all.addAll(other.ranges);
    return of(all);
  }

  /** The sorted, disjoint ranges. */
  public List<TokenRange> ranges() {
    return ranges;
  }

  public boolean contains(int token) {
    for (TokenRange r : ranges) {
      if (r.contains(token)) {
        return true;
      }
      if (r.start() > token) {
        return false;
      }
    }
    return false;
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  /** Number of tokens in the set. */
  public int size() {
    return ranges.stream().mapToInt(TokenRange::size).sum();
  }

  /**
   * Sets every logit outside this set to negative infinity, in place. Tokens at or beyond
   * {@code logits.length} are ignored.
   */
  public void maskLogits(float[] logits) {
    int next = 0;
    for (TokenRange r : ranges) {
      int start = Math.min(r.start(), logits.length);
      Arrays.fill(logits, next, start, Float.NEGATIVE_INFINITY);
      next = Math.min(r.end(), logits.length);
    }
    Arrays.fill(logits, next, logits.length, Float.NEGATIVE_INFINITY);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenSet s && s.ranges.equals(ranges);
  }

  @Override
  public int hashCode() {
    return ranges.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (TokenRange r : ranges) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(r.size() == 1 ? String.valueOf(r.start()) : r.start() + ".." + (r.end() - 1));
    }
    return sb.append('}').toString();
  }
}
