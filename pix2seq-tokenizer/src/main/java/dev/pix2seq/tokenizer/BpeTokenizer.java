package dev.pix2seq.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pix2seq.api.ConfigException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A byte-pair-encoding caption tokenizer in the classic end-of-word-suffix style, trainable on a
 * caption corpus and saved as a HuggingFace {@code tokenizer.json} that the {@code tokenizers}
 * library (Python, Rust, or DJL's {@code HuggingFaceTokenizer}) reads and encodes to the same
 * ids.
 *
 * <p>Encoding, step by step (each step is the one HuggingFace tokenizers performs for the saved
 * file):
 *
 * <ol>
 *   <li>the literal text {@value #UNK_TOKEN} is the special token itself (id {@link #unkId()});
 *       the rest is encoded piece by piece;
 *   <li>lower-casing, code point by code point ({@code Lowercase} normalizer);
 *   <li>splitting into words: runs of word characters ({@code \w}, Unicode-aware) and runs of
 *       other non-space characters; white space only separates ({@code Whitespace}
 *       pre-tokenizer);
 *   <li>each word becomes its characters, the last one with the suffix {@value
 *       #END_OF_WORD_SUFFIX}; a character not in the vocabulary becomes {@value #UNK_TOKEN};
 *   <li>merges apply by rank: the lowest-ranked adjacent pair first, the leftmost on a tie,
 *       until no adjacent pair has a merge ({@code BPE} model).
 * </ol>
 *
 * <p>Decoding concatenates the tokens, turning each {@value #END_OF_WORD_SUFFIX} into a space
 * (nothing after the last token), as the {@code BPEDecoder} does; {@value #UNK_TOKEN} stays
 * visible. Hence {@link #normalize} (defined as {@code decode(encode(text))}) is the
 * lower-cased text with its words joined by single spaces, punctuation runs as separate words
 * ({@code "A red, round ball."} gives {@code "a red , round ball ."}), and each character outside
 * the vocabulary shown as {@value #UNK_TOKEN}; an unknown character at the end of a word
 * carries no end-of-word mark, so that word runs into the next one ({@code "zé b"} gives
 * {@code "z<unk>b"} when {@code é} was never seen). Training puts every seen character in the
 * vocabulary both inside and at the end of a word, so only never-seen characters are unknown.
 *
 * <pre>{@code
 * BpeTokenizer bpe = BpeTokenizer.train(captions, 2000, 2);
 * int[] ids = bpe.encode("A red circle left of a blue square");
 * String text = bpe.decode(ids);               // "a red circle left of a blue square"
 * bpe.save(dir.resolve("tokenizer.json"));
 * BpeTokenizer same = BpeTokenizer.load(dir.resolve("tokenizer.json"));
 * }</pre>
 *
 * <p>Immutable and thread-safe. Encoded words are cached (up to {@value #MAX_CACHED_WORDS}
 * distinct words per instance), which makes encoding the same captions again, as a training loop
 * does, cost little more than splitting them.
 */
public final class BpeTokenizer implements TextTokenizer {
  /** The token of characters outside the vocabulary; id 0 in a trained tokenizer. */
  public static final String UNK_TOKEN = "<unk>";

  /** The suffix that marks the last symbol of a word. */
  public static final String END_OF_WORD_SUFFIX = "</w>";

  /** Largest number of distinct words whose encoding an instance keeps. */
  public static final int MAX_CACHED_WORDS = 100_000;

  private static final int[] NO_IDS = new int[0];

  private final List<String> tokens;
  private final Map<String, Integer> idOfToken;
  private final List<Merge> merges;
  private final MergeTable mergeTable;
  private final int unkId;
  private final ConcurrentHashMap<String, int[]> wordCache = new ConcurrentHashMap<>();

  /**
   * A merge rule: the adjacent tokens {@code left} and {@code right} become the token {@code left
   * + right}.
   *
   * @param left the left token; not empty
   * @param right the right token; not empty
   */
  public record Merge(String left, String right) {
    public Merge {
      if (left == null || left.isEmpty() || right == null || right.isEmpty()) {
        throw new IllegalArgumentException(
            "a merge needs two non-empty tokens, found '" + left + "' '" + right + "'");
      }
    }

    /** The token this merge produces. */
    public String result() {
      return left + right;
    }
  }

  private BpeTokenizer(List<String> tokens, List<Merge> merges) {
    this.tokens = List.copyOf(tokens);
    this.merges = List.copyOf(merges);
    Map<String, Integer> index = new HashMap<>(tokens.size() * 2);
    for (int i = 0; i < tokens.size(); i++) {
      String t = tokens.get(i);
      if (t == null || t.isEmpty()) {
        throw new IllegalArgumentException("token " + i + " is empty");
      }
      Integer before = index.put(t, i);
      if (before != null) {
        throw new IllegalArgumentException(
            "token '" + t + "' appears twice, as ids " + before + " and " + i);
      }
    }
    Integer unk = index.get(UNK_TOKEN);
    if (unk == null) {
      throw new IllegalArgumentException("the vocabulary lacks the token " + UNK_TOKEN);
    }
    this.idOfToken = Map.copyOf(index);
    this.unkId = unk;
    int[] lefts = new int[merges.size()];
    int[] rights = new int[merges.size()];
    int[] results = new int[merges.size()];
    for (int rank = 0; rank < merges.size(); rank++) {
      Merge m = merges.get(rank);
      lefts[rank] = requireToken(m.left(), rank);
      rights[rank] = requireToken(m.right(), rank);
      results[rank] = requireToken(m.result(), rank);
    }
    this.mergeTable = new MergeTable(lefts, rights, results);
  }

  private int requireToken(String token, int rank) {
    Integer id = idOfToken.get(token);
    if (id == null) {
      throw new IllegalArgumentException(
          "merge " + rank + " uses the token '" + token + "', which is not in the vocabulary");
    }
    return id;
  }

  /**
   * A tokenizer of the given vocabulary (token {@code i} has id {@code i}) and merges (in rank
   * order).
   *
   * @param vocabulary distinct, non-empty tokens; must contain {@value #UNK_TOKEN}
   * @param merges merges whose tokens and results are all in the vocabulary
   * @throws IllegalArgumentException when the vocabulary or a merge breaks these rules
   */
  public static BpeTokenizer of(List<String> vocabulary, List<Merge> merges) {
    return new BpeTokenizer(vocabulary, merges);
  }

  /**
   * Learns a vocabulary from captions. The words are found as {@link #encode} finds them. The
   * vocabulary starts with {@value #UNK_TOKEN} (id 0), then every character seen, in code-point
   * order, then the same characters with {@value #END_OF_WORD_SUFFIX}. Each step then merges the
   * most frequent adjacent pair (counted over all word occurrences); among pairs of equal count
   * the one whose left token comes first in code-point order wins, then the one whose right
   * token does. Training stops when the vocabulary holds {@code vocabSize} tokens or when no pair
   * occurs {@code minFrequency} times. The result depends only on the multiset of words in the
   * corpus.
   *
   * @param corpus caption texts; iterated once
   * @param vocabSize the vocabulary size to reach; when the alphabet alone is larger, the
   *     vocabulary is the alphabet, without merges
   * @param minFrequency the least number of occurrences of a pair worth a merge, >= 1
   */
  public static BpeTokenizer train(Iterable<String> corpus, int vocabSize, int minFrequency) {
    if (vocabSize < 1) {
      throw new IllegalArgumentException("vocabSize must be >= 1, found " + vocabSize);
    }
    if (minFrequency < 1) {
      throw new IllegalArgumentException("minFrequency must be >= 1, found " + minFrequency);
    }
    BpeTrainer trainer = new BpeTrainer();
    for (String text : corpus) {
      for (String segment : splitOnUnkToken(text)) {
        for (String word : CaptionWords.split(CaptionWords.lowercase(segment))) {
          trainer.addWord(word);
        }
      }
    }
    BpeTrainer.Result r = trainer.train(vocabSize, minFrequency);
    return new BpeTokenizer(r.vocabulary(), r.merges());
  }

  /**
   * Reads a {@code tokenizer.json} written by {@link #save} (or any file of the same shape).
   *
   * @throws ConfigException when the file cannot be read, is not JSON, or is not a BPE tokenizer
   *     of this shape; the message names the file and the field
   */
  public static BpeTokenizer load(Path tokenizerJson) throws ConfigException {
    return fromJson(BpeTokenizerFile.readTree(tokenizerJson), tokenizerJson);
  }

  /** The tokenizer of an already parsed {@code tokenizer.json}; {@code file} is for messages. */
  static BpeTokenizer fromJson(JsonNode root, Path file) throws ConfigException {
    BpeTokenizerFile.Content c = BpeTokenizerFile.parse(root, file);
    try {
      return new BpeTokenizer(c.vocabulary(), c.merges());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file + ": field 'model': " + e.getMessage(), e);
    }
  }

  /**
   * Writes the tokenizer as a HuggingFace {@code tokenizer.json} (BPE model with end-of-word
   * suffix, {@code Lowercase} normalizer, {@code Whitespace} pre-tokenizer, {@code BPEDecoder},
   * {@value #UNK_TOKEN} as special added token), atomically.
   */
  @Override
  public void save(Path tokenizerJson) throws IOException {
    BpeTokenizerFile.write(tokenizerJson, tokens, merges, unkId);
  }

  @Override
  public int size() {
    return tokens.size();
  }

  /** The tokens, token {@code i} having id {@code i}. */
  public List<String> vocabulary() {
    return tokens;
  }

  /** The merges in rank order. */
  public List<Merge> merges() {
    return merges;
  }

  /** The id of {@value #UNK_TOKEN}. */
  public int unkId() {
    return unkId;
  }

  /** The token of an id. */
  public String token(int id) {
    if (id < 0 || id >= tokens.size()) {
      throw new IndexOutOfBoundsException(
          "token id must be in [0, " + tokens.size() + "), found " + id);
    }
    return tokens.get(id);
  }

  /** The id of a token, or -1 when it is not in the vocabulary. */
  public int id(String token) {
    Integer id = idOfToken.get(token);
    return id == null ? -1 : id;
  }

  /** {@code decode(encode(text))}; see the class documentation for what it looks like. */
  @Override
  public String normalize(String text) {
    return decode(encode(text));
  }

  @Override
  public int[] encode(String text) {
    IntBuffer out = new IntBuffer();
    List<String> segments = splitOnUnkToken(text);
    for (int s = 0; s < segments.size(); s++) {
      if (s > 0) {
        out.add(unkId);
      }
      for (String word : CaptionWords.split(CaptionWords.lowercase(segments.get(s)))) {
        out.addAll(encodeWord(word));
      }
    }
    return out.toArray();
  }

  @Override
  public String decode(int[] ids) {
    List<String> kept = new ArrayList<>(ids.length);
    for (int id : ids) {
      if (id >= 0 && id < tokens.size()) {
        kept.add(tokens.get(id));
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < kept.size(); i++) {
      sb.append(kept.get(i).replace(END_OF_WORD_SUFFIX, i == kept.size() - 1 ? "" : " "));
    }
    return sb.toString();
  }

  private int[] encodeWord(String word) {
    int[] cached = wordCache.get(word);
    if (cached != null) {
      return cached;
    }
    int[] symbols = new int[word.codePointCount(0, word.length())];
    int n = 0;
    for (int i = 0; i < word.length(); ) {
      int end = i + Character.charCount(word.codePointAt(i));
      String symbol = end == word.length()
          ? word.substring(i) + END_OF_WORD_SUFFIX
          : word.substring(i, end);
      Integer id = idOfToken.get(symbol);
      symbols[n++] = id == null ? unkId : id;
      i = end;
    }
    int[] ids = mergeTable.apply(symbols);
    if (wordCache.size() < MAX_CACHED_WORDS) {
      wordCache.put(word, ids);
    }
    return ids;
  }

  /** The text around each literal {@value #UNK_TOKEN}: one more piece than occurrences. */
  private static List<String> splitOnUnkToken(String text) {
    int at = text.indexOf(UNK_TOKEN);
    if (at < 0) {
      return List.of(text);
    }
    List<String> pieces = new ArrayList<>();
    int from = 0;
    while (at >= 0) {
      pieces.add(text.substring(from, at));
      from = at + UNK_TOKEN.length();
      at = text.indexOf(UNK_TOKEN, from);
    }
    pieces.add(text.substring(from));
    return pieces;
  }

  @Override
  public String toString() {
    return "BpeTokenizer[" + tokens.size() + " tokens, " + merges.size() + " merges]";
  }

  /** A growable int array. */
  private static final class IntBuffer {
    private int[] data = new int[32];
    private int size;

    void add(int v) {
      if (size == data.length) {
        data = Arrays.copyOf(data, size * 2);
      }
      data[size++] = v;
    }

    void addAll(int[] vs) {
      if (size + vs.length > data.length) {
        data = Arrays.copyOf(data, Math.max(size * 2, size + vs.length));
      }
      System.arraycopy(vs, 0, data, size, vs.length);
      size += vs.length;
    }

    int[] toArray() {
      return size == 0 ? NO_IDS : Arrays.copyOf(data, size);
    }
  }
}
