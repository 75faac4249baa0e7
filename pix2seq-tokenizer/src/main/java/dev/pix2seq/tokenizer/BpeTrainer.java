package dev.pix2seq.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Learns BPE merges from word counts (see {@link BpeTokenizer#train} for the rules). Pair counts
 * are kept up to date incrementally: a merge only revisits the words that contain its pair.
 * Single use, not thread-safe.
 */
final class BpeTrainer {
  private final Map<String, Integer> wordCounts = new HashMap<>();

  /** The learned vocabulary and merges. */
  record Result(List<String> vocabulary, List<BpeTokenizer.Merge> merges) {}

  /** Two adjacent token ids. */
  private record Pair(int left, int right) {
    @Override
    public int hashCode() {
      // the default 31 * left + right collides for many pairs of small ids
      return Long.hashCode((((long) left << 32) | (right & 0xFFFFFFFFL)) * 0x9E3779B97F4A7C15L);
    }
  }

  /** A pair with its count when queued; stale once the count has changed. */
  private record Candidate(Pair pair, long count) {}

  void addWord(String word) {
    wordCounts.merge(word, 1, Integer::sum);
  }

  Result train(int vocabSize, int minFrequency) {
    TreeSet<Integer> alphabet = new TreeSet<>();
    for (String w : wordCounts.keySet()) {
      w.codePoints().forEach(alphabet::add);
    }
    List<String> vocab = new ArrayList<>();
    Map<String, Integer> ids = new HashMap<>();
    addToken(vocab, ids, BpeTokenizer.UNK_TOKEN);
    for (int cp : alphabet) {
      addToken(vocab, ids, Character.toString(cp));
    }
    for (int cp : alphabet) {
      addToken(vocab, ids, Character.toString(cp) + BpeTokenizer.END_OF_WORD_SUFFIX);
    }

    int nWords = wordCounts.size();
    int[][] words = new int[nWords][];
    int[] lengths = new int[nWords];
    int[] counts = new int[nWords];
    int w = 0;
    for (Map.Entry<String, Integer> e : new TreeMap<>(wordCounts).entrySet()) {
      String word = e.getKey();
      int[] cps = word.codePoints().toArray();
      int[] symbols = new int[cps.length];
      for (int i = 0; i < cps.length; i++) {
        String s = Character.toString(cps[i]);
        symbols[i] = ids.get(i == cps.length - 1 ? s + BpeTokenizer.END_OF_WORD_SUFFIX : s);
      }
      words[w] = symbols;
      lengths[w] = symbols.length;
      counts[w] = e.getValue();
      w++;
    }

    Map<Pair, Long> pairCounts = new HashMap<>();
    Map<Pair, Set<Integer>> wordsOfPair = new HashMap<>();
    for (w = 0; w < nWords; w++) {
      for (int i = 0; i + 1 < lengths[w]; i++) {
        Pair pair = new Pair(words[w][i], words[w][i + 1]);
        pairCounts.merge(pair, (long) counts[w], Long::sum);
        wordsOfPair.computeIfAbsent(pair, k -> new HashSet<>()).add(w);
      }
    }
    PriorityQueue<Candidate> queue = new PriorityQueue<>(candidateOrder(vocab));
    for (Map.Entry<Pair, Long> e : pairCounts.entrySet()) {
      queue.add(new Candidate(e.getKey(), e.getValue()));
    }

    List<BpeTokenizer.Merge> merges = new ArrayList<>();
    Map<Pair, Long> touched = new HashMap<>();
    while (vocab.size() < vocabSize && !queue.isEmpty()) {
      Candidate top = queue.poll();
      Pair pair = top.pair();
      Long current = pairCounts.get(pair);
      if (current == null || current != top.count()) {
        continue;
      }
      if (current < minFrequency) {
        break;
      }
      int left = pair.left();
      int right = pair.right();
      BpeTokenizer.Merge merge = new BpeTokenizer.Merge(vocab.get(left), vocab.get(right));
      merges.add(merge);
      Integer merged = ids.get(merge.result());
      if (merged == null) {
        merged = addToken(vocab, ids, merge.result());
      }
      touched.clear();
      Integer[] affected = wordsOfPair.remove(pair).toArray(new Integer[0]);
      Arrays.sort(affected);
      for (int aw : affected) {
        if (!contains(words[aw], lengths[aw], left, right)) {
          continue;
        }
        updatePairs(words[aw], lengths[aw], -counts[aw], aw, pairCounts, null, -1, touched);
        lengths[aw] = applyMerge(words[aw], lengths[aw], left, right, merged);
        updatePairs(
            words[aw], lengths[aw], counts[aw], aw, pairCounts, wordsOfPair, merged, touched);
      }
      for (Map.Entry<Pair, Long> e : touched.entrySet()) {
        Long c = pairCounts.get(e.getKey());
        if (c != null && !c.equals(e.getValue())) {
          queue.add(new Candidate(e.getKey(), c));
        }
      }
    }
    return new Result(vocab, merges);
  }

  private static int addToken(List<String> vocab, Map<String, Integer> ids, String token) {
    int id = vocab.size();
    vocab.add(token);
    ids.put(token, id);
    return id;
  }

  /** Highest count first, then the left token's text, then the right token's. */
  private static Comparator<Candidate> candidateOrder(List<String> vocab) {
    return (a, b) -> {
      if (a.count() != b.count()) {
        return Long.compare(b.count(), a.count());
      }
      int c = compareCodePoints(vocab.get(a.pair().left()), vocab.get(b.pair().left()));
      if (c != 0) {
        return c;
      }
      return compareCodePoints(vocab.get(a.pair().right()), vocab.get(b.pair().right()));
    };
  }

  private static boolean contains(int[] symbols, int length, int left, int right) {
    for (int i = 0; i + 1 < length; i++) {
      if (symbols[i] == left && symbols[i + 1] == right) {
        return true;
      }
    }
    return false;
  }

  /** Merges every non-overlapping occurrence, left to right; returns the new length. */
  private static int applyMerge(int[] symbols, int length, int left, int right, int merged) {
    int out = 0;
    for (int i = 0; i < length; i++) {
      if (i + 1 < length && symbols[i] == left && symbols[i + 1] == right) {
        symbols[out++] = merged;
        i++;
      } else {
        symbols[out++] = symbols[i];
      }
    }
    return out;
  }

  /**
   * Adds {@code delta} to the count of every adjacent pair of the word; {@code touched} keeps
   * each changed pair's count from before the first change. The pairs with token {@code
   * newToken} (the only ones a merge creates) get the word listed in {@code wordsOfPair}.
   */
  private static void updatePairs(
      int[] symbols,
      int length,
      long delta,
      int word,
      Map<Pair, Long> pairCounts,
      Map<Pair, Set<Integer>> wordsOfPair,
      int newToken,
      Map<Pair, Long> touched) {
    for (int i = 0; i + 1 < length; i++) {
      Pair p = new Pair(symbols[i], symbols[i + 1]);
      Long before = pairCounts.get(p);
      touched.putIfAbsent(p, before == null ? 0L : before);
      long c = (before == null ? 0L : before) + delta;
      if (c == 0) {
        pairCounts.remove(p);
      } else {
        pairCounts.put(p, c);
      }
      if (wordsOfPair != null && (p.left() == newToken || p.right() == newToken)) {
        wordsOfPair.computeIfAbsent(p, k -> new HashSet<>()).add(word);
      }
    }
  }

  /** Orders strings by code point ({@link String#compareTo} orders by UTF-16 unit). */
  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }
}
