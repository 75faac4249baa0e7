package dev.pix2seq.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pix2seq.api.ConfigException;
import dev.pix2seq.tokenizer.SentencePieceModelFile.Piece;
import dev.pix2seq.tokenizer.SentencePieceModelFile.PieceType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sentencepiece unigram tokenizer in pure Java: reads a {@code .model} file (such as the
 * {@code c4_en_32k_spm.model} of the Pix2seq multi-task checkpoints) and decodes ids to text as
 * sentencepiece's {@code DecodeIds} does, and encodes text as its {@code EncodeAsIds} does.
 *
 * <pre>{@code
 * SentencePieceTokenizer spm = SentencePieceTokenizer.open(Path.of("c4_en_32k_spm.model"));
 * int[] ids = spm.encode("A dog on a skateboard.");
 * String text = spm.decode(ids);            // "A dog on a skateboard."
 * int eos = spm.eosId();                    // generated captions end here
 * spm.save(dir.resolve("tokenizer.json"));  // TextTokenizers.load reads it back as this class
 * }</pre>
 *
 * <p><b>Decoding</b> follows sentencepiece exactly: ids outside {@code 0..size()-1} are skipped
 * (sentencepiece fails on them instead); control pieces (bos, eos, pad, ...) give nothing; the
 * unknown piece gives {@link SentencePieceModelFile#unkSurface()} ({@code " ⁇ "} by default);
 * runs of byte pieces {@code <0xNN>} are joined into UTF-8, each byte of a malformed sequence
 * giving U+FFFD; {@code ▁} (U+2581) gives a space; while nothing visible has been produced, a
 * leading {@code ▁} of the piece is dropped (the space {@code add_dummy_prefix} added) — once
 * when only {@code add_dummy_prefix} is set, for every such piece when {@code
 * remove_extra_whitespaces} is set.
 *
 * <p><b>Encoding</b> follows sentencepiece's normaliser and its optimised unigram Viterbi search
 * on UTF-8 bytes, exactly for any text: the model's precompiled character map (such as {@code
 * nmt_nfkc}, so no {@link java.text.Normalizer} is involved) is applied by longest match,
 * user-defined symbols are kept whole, white space is handled as {@code
 * remove_extra_whitespaces}, {@code escape_whitespaces}, {@code add_dummy_prefix} and {@code
 * treat_whitespace_as_suffix} say; path scores are summed in single precision and ties keep the
 * first path found, as the library does (summing in double precision segments some long
 * repetitive runs differently); characters outside the vocabulary become one unknown id per run,
 * or their UTF-8 byte pieces under byte fallback. Control pieces are never produced (the text
 * {@code "</s>"} is encoded as ordinary characters) and no BOS or EOS is added. Limits: an
 * unpaired surrogate in a Java string is encoded as U+FFFD (Python cannot encode such a
 * string at all); sampling and n-best encoding are not implemented. Hence {@link #normalize}
 * (defined as {@code decode(encode(text))}) is what sentencepiece gives for the same text.
 *
 * <p>Only unigram models without denormalisation rules are accepted (see {@link
 * SentencePieceModelFile#read}). Immutable and thread-safe.
 */
public final class SentencePieceTokenizer implements TextTokenizer {
  private static final float UNK_PENALTY = 10.0f;
  private static final int[] NO_IDS = new int[0];

  private final SentencePieceModelFile model;
  private final String[] texts;
  private final float[] scores;
  private final PieceType[] types;
  /** Control, unknown and byte pieces by text; sentencepiece looks here first. */
  private final Map<String, Integer> reservedIds;
  /** Normal, user-defined and unused pieces by the ISO-8859-1 form of their UTF-8 bytes. */
  private final Map<String, Integer> matchable;
  private final int longestMatchable;
  /** The piece of type UNKNOWN, which unknown characters become. */
  private final int unknown;
  /** The byte pieces by byte value; null without byte fallback. */
  private final int[] byteIds;
  private final float unkScore;
  /** Highest score of a normal piece, at least {@link Float#MIN_NORMAL} as in sentencepiece. */
  private final float maxScore;
  private final SentencePieceNormalizer normalizer;
  private final int unkId;
  private final int bosId;
  private final int eosId;
  private final int padId;

  private SentencePieceTokenizer(SentencePieceModelFile model) {
    this.model = model;
    List<Piece> pieces = model.pieces();
    int n = pieces.size();
    texts = new String[n];
    scores = new float[n];
    types = new PieceType[n];
    Map<String, Integer> reserved = new HashMap<>();
    Map<String, Integer> normal = new HashMap<>();
    Map<String, Integer> byBytes = new HashMap<>();
    Set<String> userSymbols = new HashSet<>();
    int unk = -1;
    int[] bytes = model.byteFallback() ? new int[256] : null;
    float min = Float.MAX_VALUE;
    float max = Float.MIN_NORMAL; // FLT_MIN, as sentencepiece starts
    int longest = 0;
    for (int id = 0; id < n; id++) {
      Piece p = pieces.get(id);
      texts[id] = p.text();
      scores[id] = p.score();
      types[id] = p.type();
      switch (p.type()) {
        case NORMAL, USER_DEFINED, UNUSED -> {
          String key = latin1(p.text());
          normal.put(p.text(), id);
          byBytes.put(key, id);
          longest = Math.max(longest, key.length());
          if (p.type() == PieceType.USER_DEFINED) {
            userSymbols.add(key);
          }
          if (p.type() == PieceType.NORMAL) {
            min = Math.min(min, p.score());
            max = Math.max(max, p.score());
          }
        }
        case UNKNOWN -> {
          unk = id;
          reserved.put(p.text(), id);
        }
        case BYTE -> {
          bytes[Integer.parseInt(p.text().substring(3, 5), 16)] = id;
          reserved.put(p.text(), id);
        }
        default -> reserved.put(p.text(), id);
      }
    }
    this.reservedIds = Map.copyOf(reserved);
    this.matchable = Map.copyOf(byBytes);
    this.longestMatchable = longest;
    this.unknown = unk;
    this.byteIds = bytes;
    this.unkScore = min - UNK_PENALTY;
    this.maxScore = max;
    this.normalizer =
        new SentencePieceNormalizer(
            model.hasCharsmap() ? PrecompiledCharsmap.parse(model.precompiledCharsmap()) : null,
            model.addDummyPrefix(),
            model.removeExtraWhitespaces(),
            model.escapeWhitespaces(),
            model.treatWhitespaceAsSuffix(),
            userSymbols);
    Map<String, Integer> normalIds = Map.copyOf(normal);
    this.unkId = special(model.unkPiece(), PieceType.UNKNOWN, normalIds);
    this.bosId = special(model.bosPiece(), PieceType.CONTROL, normalIds);
    this.eosId = special(model.eosPiece(), PieceType.CONTROL, normalIds);
    this.padId = special(model.padPiece(), PieceType.CONTROL, normalIds);
  }

  /** sentencepiece's {@code PieceToId} (unknown id when absent), then the type check. */
  private int special(String piece, PieceType type, Map<String, Integer> normalIds) {
    Integer id = reservedIds.get(piece);
    if (id == null) {
      id = normalIds.get(piece);
    }
    int resolved = id == null ? unknown : id;
    return types[resolved] == type ? resolved : -1;
  }

  /**
   * The tokenizer of a sentencepiece {@code .model} file.
   *
   * @throws ConfigException as {@link SentencePieceModelFile#read} does
   */
  public static SentencePieceTokenizer open(Path modelFile) throws ConfigException {
    return new SentencePieceTokenizer(SentencePieceModelFile.read(modelFile));
  }

  /** The tokenizer of a model already read. */
  public static SentencePieceTokenizer of(SentencePieceModelFile model) {
    return new SentencePieceTokenizer(model);
  }

  /**
   * Reads a {@code tokenizer.json} written by {@link #save}.
   *
   * @throws ConfigException when the file cannot be read, is not JSON, or does not have the shape
   *     {@link #save} writes; the message names the file and the field
   */
  public static SentencePieceTokenizer load(Path tokenizerJson) throws ConfigException {
    return fromJson(BpeTokenizerFile.readTree(tokenizerJson), tokenizerJson);
  }

  /** The tokenizer of an already parsed {@code tokenizer.json}; {@code file} is for messages. */
  static SentencePieceTokenizer fromJson(JsonNode root, Path file) throws ConfigException {
    return new SentencePieceTokenizer(SentencePieceTokenizerFile.parse(root, file));
  }

  /**
   * Writes the tokenizer as a HuggingFace {@code tokenizer.json}, atomically: a {@code Unigram}
   * model (pieces with scores, {@code unk_id}, {@code byte_fallback}), control pieces as special
   * added tokens and user-defined ones as plain added tokens, the {@code Precompiled}
   * normaliser, {@code Metaspace} pre-tokenizer and decoder (with {@code ByteFallback} first
   * under byte fallback) as HuggingFace's sentencepiece converter writes them. Settings that
   * format cannot express (a custom unknown surface or special piece names, unused pieces,
   * {@code escape_whitespaces} off, whitespace as suffix) go into an extra {@code
   * model.sentencepiece} object, which the HuggingFace library ignores; {@link #load} reads them
   * back, so the round trip keeps {@link #model()} equal.
   */
  @Override
  public void save(Path tokenizerJson) throws IOException {
    SentencePieceTokenizerFile.write(tokenizerJson, model, unknown);
  }

  /** The model: pieces, special piece names, normaliser settings. */
  public SentencePieceModelFile model() {
    return model;
  }

  @Override
  public int size() {
    return texts.length;
  }

  /** The piece of an id, {@code ▁} (U+2581) standing for a space. */
  public String piece(int id) {
    if (id < 0 || id >= texts.length) {
      throw new IndexOutOfBoundsException(
          "piece id must be in [0, " + texts.length + "), found " + id);
    }
    return texts[id];
  }

  /** The type of the piece of an id. */
  public PieceType type(int id) {
    piece(id);
    return types[id];
  }

  /** The id of the unknown piece, as sentencepiece's {@code unk_id()}; -1 when there is none. */
  public int unkId() {
    return unkId;
  }

  /** The id of the control piece named {@code bos_piece}; -1 when there is none. */
  public int bosId() {
    return bosId;
  }

  /**
   * The id of the control piece named {@code eos_piece} (1 in the Pix2seq caption model), where
   * generated captions end; -1 when there is none.
   */
  public int eosId() {
    return eosId;
  }

  /** The id of the control piece named {@code pad_piece}; -1 when there is none. */
  public int padId() {
    return padId;
  }

  /** {@code decode(encode(text))}: the text as sentencepiece gives it back. */
  @Override
  public String normalize(String text) {
    return decode(encode(text));
  }

  /**
   * The normalised text that segmentation sees, as sentencepiece's {@code normalize} gives it
   * ({@code ▁} for spaces when escaping, with the dummy prefix).
   */
  String normalizedForSegmentation(String text) {
    return new String(normalizer.normalize(text), StandardCharsets.UTF_8);
  }

  @Override
  public int[] encode(String text) {
    byte[] normalized = normalizer.normalize(text);
    int n = normalized.length;
    if (n == 0) {
      return NO_IDS;
    }
    String key = new String(normalized, StandardCharsets.ISO_8859_1);
    float[] best = new float[n + 1];
    int[] startsAt = new int[n + 1];
    int[] idAt = new int[n + 1];
    Arrays.fill(startsAt, -1);
    Arrays.fill(idAt, -1);
    for (int start = 0; start < n; ) {
      float tillHere = best[start];
      int charLength = Math.min(SentencePieceNormalizer.charLength(normalized[start]), n - start);
      boolean hasSingleChar = false;
      int last = Math.min(n, start + longestMatchable);
      for (int end = start + 1; end <= last; end++) {
        Integer id = matchable.get(key.substring(start, end));
        if (id == null || types[id] == PieceType.UNUSED) {
          continue;
        }
        int length = end - start;
        // Single precision throughout, as the sentencepiece library computes it (ties between
        // paths depend on the rounding); user symbols get a bonus so that they always win.
        float score = types[id] == PieceType.USER_DEFINED
            ? (float) ((float) length * maxScore - 0.1)
            : scores[id];
        float candidate = score + tillHere;
        if (startsAt[end] == -1 || candidate > best[end]) {
          best[end] = candidate;
          startsAt[end] = start;
          idAt[end] = id;
        }
        if (length == charLength) {
          hasSingleChar = true;
        }
      }
      if (!hasSingleChar) {
        int end = start + charLength;
        float candidate = unkScore + tillHere;
        if (startsAt[end] == -1 || candidate > best[end]) {
          best[end] = candidate;
          startsAt[end] = start;
          idAt[end] = unknown;
        }
      }
      start += charLength;
    }
    int count = 0;
    int[] ends = new int[n];
    for (int end = n; end > 0; end = startsAt[end]) {
      ends[count++] = end;
    }
    int[] out = new int[n];
    int size = 0;
    boolean previousUnknown = false;
    for (int k = count - 1; k >= 0; k--) {
      int end = ends[k];
      int start = startsAt[end];
      int id = idAt[end];
      boolean isUnknown = id == unknown;
      if (isUnknown && byteIds != null) {
        for (int i = start; i < end; i++) {
          out[size++] = byteIds[normalized[i] & 0xFF];
        }
      } else if (!(isUnknown && previousUnknown)) {
        out[size++] = id;
      }
      previousUnknown = isUnknown;
    }
    return Arrays.copyOf(out, size);
  }

  @Override
  public String decode(int[] ids) {
    StringBuilder text = new StringBuilder();
    byte[] run = new byte[ids.length];
    int runLength = 0;
    boolean atStart = true;
    boolean startSpaceSeen = false;
    for (int raw : ids) {
      if (raw < 0 || raw >= texts.length) {
        continue;
      }
      String piece = texts[raw];
      Integer reserved = reservedIds.get(piece);
      int id = reserved == null ? raw : reserved;
      if (types[id] == PieceType.BYTE) {
        run[runLength++] = (byte) Integer.parseInt(piece.substring(3, 5), 16);
        continue;
      }
      appendBytes(text, run, runLength);
      runLength = 0;
      if (startSpaceSeen || text.length() > 0) {
        atStart = false;
      }
      startSpaceSeen = false;
      switch (types[id]) {
        case CONTROL -> { }
        case UNKNOWN -> text.append(model.unkSurface());
        default -> {
          if (atStart
              && (model.addDummyPrefix() || model.removeExtraWhitespaces())
              && piece.startsWith(SentencePieceNormalizer.SPACE_SYMBOL)) {
            piece = piece.substring(SentencePieceNormalizer.SPACE_SYMBOL.length());
            startSpaceSeen = !model.removeExtraWhitespaces();
          }
          text.append(piece.replace(SentencePieceNormalizer.SPACE_SYMBOL, " "));
        }
      }
    }
    appendBytes(text, run, runLength);
    return text.toString();
  }

  /** Appends UTF-8 {@code bytes[0, length)}, each byte of a malformed sequence as U+FFFD. */
  private static void appendBytes(StringBuilder text, byte[] bytes, int length) {
    int i = 0;
    while (i < length) {
      int charLength = SentencePieceNormalizer.validCharLength(bytes, i, length);
      if (charLength == 0) {
        text.append('\uFFFD');
        i++;
      } else {
        text.append(new String(bytes, i, charLength, StandardCharsets.UTF_8));
        i += charLength;
      }
    }
  }

  private static String latin1(String text) {
    return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  @Override
  public String toString() {
    return "SentencePieceTokenizer[" + texts.length + " pieces, eos " + eosId + "]";
  }
}
