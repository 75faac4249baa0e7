package dev.pix2seq.tokenizer;

import static dev.pix2seq.tokenizer.BpeTokenizerFile.at;
import static dev.pix2seq.tokenizer.BpeTokenizerFile.describe;
import static dev.pix2seq.tokenizer.BpeTokenizerFile.expectBoolean;
import static dev.pix2seq.tokenizer.BpeTokenizerFile.expectNullOrAbsent;
import static dev.pix2seq.tokenizer.BpeTokenizerFile.expectText;

import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.core.util.Separators.Spacing;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pix2seq.api.ConfigException;
import dev.pix2seq.api.config.ConfigIO;
import dev.pix2seq.tokenizer.SentencePieceModelFile.Piece;
import dev.pix2seq.tokenizer.SentencePieceModelFile.PieceType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The HuggingFace {@code tokenizer.json} form of a {@link SentencePieceTokenizer}, as
 * HuggingFace's sentencepiece converter writes a unigram model:
 *
 * <ul>
 *   <li>{@code model}: {@code Unigram} with the pieces as {@code [piece, score]} pairs, {@code
 *       unk_id} and {@code byte_fallback};
 *   <li>{@code added_tokens}: control pieces (special) and user-defined pieces (not special),
 *       none normalised;
 *   <li>{@code normalizer}: {@code Precompiled} with the character map when the model has one,
 *       then {@code Strip} (right) and {@code Replace} of two or more spaces by {@code ▁} when
 *       {@code remove_extra_whitespaces}; null when neither applies;
 *   <li>{@code pre_tokenizer} and {@code decoder}: {@code Metaspace} with replacement {@code ▁}
 *       and {@code prepend_scheme} {@code "always"} ({@code "never"} without {@code
 *       add_dummy_prefix}); the decoder is {@code Sequence[ByteFallback, Metaspace]} under byte
 *       fallback. Reading also accepts the older {@code add_prefix_space} flag.
 * </ul>
 *
 * Settings HuggingFace has no place for go into {@code model.sentencepiece}, only when they
 * differ from sentencepiece's defaults: {@code unk_piece}, {@code bos_piece}, {@code eos_piece},
 * {@code pad_piece}, {@code unk_surface}, {@code escape_whitespaces}, {@code
 * treat_whitespace_as_suffix} and {@code unused_ids}. The HuggingFace library ignores unknown
 * keys inside {@code model} (not at the top level).
 */
final class SentencePieceTokenizerFile {
  static final String EXTENSION = "sentencepiece";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String SPACE = SentencePieceNormalizer.SPACE_SYMBOL;
  private static final String EXTRA_SPACES = " {2,}";
  private static final Pattern BYTE_PIECE = Pattern.compile("<0x[0-9A-F]{2}>");
  private static final Set<String> EXTENSION_KEYS =
      Set.of("unk_piece", "bos_piece", "eos_piece", "pad_piece", "unk_surface",
          "escape_whitespaces", "treat_whitespace_as_suffix", "unused_ids");

  private SentencePieceTokenizerFile() {}

  static void write(Path file, SentencePieceModelFile model, int unkId) throws IOException {
    ObjectNode root = NODES.objectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    List<Piece> pieces = model.pieces();
    for (int id = 0; id < pieces.size(); id++) {
      Piece p = pieces.get(id);
      if (p.type() == PieceType.CONTROL || p.type() == PieceType.USER_DEFINED) {
        ObjectNode token = added.addObject();
        token.put("id", id);
        token.put("content", p.text());
        token.put("single_word", false);
        token.put("lstrip", false);
        token.put("rstrip", false);
        token.put("normalized", false);
        token.put("special", p.type() == PieceType.CONTROL);
      }
    }
    List<ObjectNode> normalizers = new ArrayList<>();
    if (model.hasCharsmap()) {
      normalizers.add(
          NODES.objectNode()
              .put("type", "Precompiled")
              .put("precompiled_charsmap",
                  Base64.getEncoder().encodeToString(model.precompiledCharsmap())));
    }
    if (model.removeExtraWhitespaces()) {
      normalizers.add(
          NODES.objectNode().put("type", "Strip").put("strip_left", false)
              .put("strip_right", true));
      ObjectNode replace = NODES.objectNode().put("type", "Replace");
      replace.putObject("pattern").put("Regex", EXTRA_SPACES);
      replace.put("content", SPACE);
      normalizers.add(replace);
    }
    if (normalizers.isEmpty()) {
      root.putNull("normalizer");
    } else {
      root.putObject("normalizer").put("type", "Sequence").putArray("normalizers")
          .addAll(normalizers);
    }
    String prepend = model.addDummyPrefix() ? "always" : "never";
    root.set("pre_tokenizer", metaspace(prepend));
    root.putNull("post_processor");
    if (model.byteFallback()) {
      ArrayNode decoders = root.putObject("decoder").put("type", "Sequence").putArray("decoders");
      decoders.addObject().put("type", "ByteFallback");
      decoders.add(metaspace(prepend));
    } else {
      root.set("decoder", metaspace(prepend));
    }
    ObjectNode m = root.putObject("model");
    m.put("type", "Unigram");
    m.put("unk_id", unkId);
    ArrayNode vocab = m.putArray("vocab");
    for (Piece p : pieces) {
      vocab.addArray().add(p.text()).add((double) p.score());
    }
    m.put("byte_fallback", model.byteFallback());
    ObjectNode extension = extension(model);
    if (!extension.isEmpty()) {
      m.set(EXTENSION, extension);
    }
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter()
            .withSeparators(
                Separators.createDefaultInstance().withObjectFieldValueSpacing(Spacing.AFTER));
    ConfigIO.writeAtomically(file, ConfigIO.mapper().writer(printer).writeValueAsBytes(root));
  }

  private static ObjectNode metaspace(String prependScheme) {
    return NODES.objectNode()
        .put("type", "Metaspace")
        .put("replacement", SPACE)
        .put("prepend_scheme", prependScheme)
        .put("split", true);
  }

  private static ObjectNode extension(SentencePieceModelFile model) {
    ObjectNode e = NODES.objectNode();
    putIfNot(e, "unk_piece", model.unkPiece(), SentencePieceModelFile.DEFAULT_UNK_PIECE);
    putIfNot(e, "bos_piece", model.bosPiece(), SentencePieceModelFile.DEFAULT_BOS_PIECE);
    putIfNot(e, "eos_piece", model.eosPiece(), SentencePieceModelFile.DEFAULT_EOS_PIECE);
    putIfNot(e, "pad_piece", model.padPiece(), SentencePieceModelFile.DEFAULT_PAD_PIECE);
    putIfNot(e, "unk_surface", model.unkSurface(), SentencePieceModelFile.DEFAULT_UNK_SURFACE);
    if (!model.escapeWhitespaces()) {
      e.put("escape_whitespaces", false);
    }
    if (model.treatWhitespaceAsSuffix()) {
      e.put("treat_whitespace_as_suffix", true);
    }
    ArrayNode unused = NODES.arrayNode();
    for (int id = 0; id < model.pieces().size(); id++) {
      if (model.pieces().get(id).type() == PieceType.UNUSED) {
        unused.add(id);
      }
    }
    if (!unused.isEmpty()) {
      e.set("unused_ids", unused);
    }
    return e;
  }

  private static void putIfNot(ObjectNode node, String key, String value, String fallback) {
    if (!value.equals(fallback)) {
      node.put(key, value);
    }
  }

  /**
   * Why the file does not have the shape {@link #write} gives it (ignoring the vocabulary and
   * the added tokens' ids), as {@code "field 'x': expected ..., found ..."}; null when it has.
   */
  static String shapeMismatch(JsonNode root) {
    String m;
    if ((m = expectNullOrAbsent(root, "truncation")) != null
        || (m = expectNullOrAbsent(root, "padding")) != null
        || (m = expectNullOrAbsent(root, "post_processor")) != null
        || (m = expectText(root, "model.type", "Unigram")) != null) {
      return m;
    }
    JsonNode unkId = at(root, "model.unk_id");
    if (unkId == null || !unkId.isInt()) {
      return "field 'model.unk_id': expected an integer, found " + describe(unkId);
    }
    JsonNode vocab = at(root, "model.vocab");
    if (vocab == null || !vocab.isArray()) {
      return "field 'model.vocab': expected an array of [piece, score], found " + describe(vocab);
    }
    JsonNode byteFallback = at(root, "model.byte_fallback");
    if (byteFallback != null && !byteFallback.isNull() && !byteFallback.isBoolean()) {
      return "field 'model.byte_fallback': expected true or false, found " + describe(byteFallback);
    }
    boolean bytes = byteFallback != null && byteFallback.asBoolean();
    Boolean prepend = prependOf(root.get("pre_tokenizer"));
    if (prepend == null) {
      return "field 'pre_tokenizer': expected Metaspace with replacement \"" + SPACE
          + "\", prepend_scheme \"always\" or \"never\" and split true, found "
          + describe(root.get("pre_tokenizer"));
    }
    if ((m = decoderMismatch(root.get("decoder"), bytes, prepend)) != null
        || (m = normalizerMismatch(root.get("normalizer"))) != null
        || (m = addedTokensMismatch(root.get("added_tokens"))) != null) {
      return m;
    }
    JsonNode extension = at(root, "model." + EXTENSION);
    if (extension != null && !extension.isNull()) {
      if (!extension.isObject()) {
        return "field 'model." + EXTENSION + "': expected an object, found " + describe(extension);
      }
      for (Map.Entry<String, JsonNode> e : extension.properties()) {
        if (!EXTENSION_KEYS.contains(e.getKey())) {
          return "field 'model." + EXTENSION + "." + e.getKey() + "': unknown; expected one of "
              + new java.util.TreeSet<>(EXTENSION_KEYS);
        }
      }
    }
    return null;
  }

  /** True or false for a Metaspace that prepends or not; null when not our Metaspace. */
  private static Boolean prependOf(JsonNode node) {
    if (node == null || !node.isObject()
        || !"Metaspace".equals(node.path("type").asText(null))
        || !SPACE.equals(node.path("replacement").asText(null))) {
      return null;
    }
    JsonNode split = node.get("split");
    if (split != null && !(split.isBoolean() && split.booleanValue())) {
      return null;
    }
    JsonNode scheme = node.get("prepend_scheme");
    JsonNode legacy = node.get("add_prefix_space");
    if (scheme != null && scheme.isTextual()) {
      return switch (scheme.textValue()) {
        case "always" -> Boolean.TRUE;
        case "never" -> Boolean.FALSE;
        default -> null;
      };
    }
    return scheme == null && legacy != null && legacy.isBoolean() ? legacy.booleanValue() : null;
  }

  private static String decoderMismatch(JsonNode decoder, boolean byteFallback, boolean prepend) {
    JsonNode metaspace = decoder;
    if (byteFallback) {
      JsonNode list = decoder == null ? null : decoder.get("decoders");
      if (decoder == null || !"Sequence".equals(decoder.path("type").asText(null))
          || list == null || !list.isArray() || list.size() != 2
          || !"ByteFallback".equals(list.get(0).path("type").asText(null))) {
        return "field 'decoder': expected Sequence[ByteFallback, Metaspace] (byte_fallback is"
            + " true), found " + describe(decoder);
      }
      metaspace = list.get(1);
    }
    Boolean p = prependOf(metaspace);
    if (p == null || p != prepend) {
      return "field 'decoder': expected Metaspace like the pre_tokenizer's (prepend "
          + (prepend ? "always" : "never") + "), found " + describe(decoder);
    }
    return null;
  }

  private static String normalizerMismatch(JsonNode normalizer) {
    if (normalizer == null || normalizer.isNull()) {
      return null;
    }
    JsonNode list = normalizer.get("normalizers");
    if (!"Sequence".equals(normalizer.path("type").asText(null))
        || list == null || !list.isArray()) {
      return "field 'normalizer': expected null or a Sequence, found " + describe(normalizer);
    }
    int i = 0;
    if (list.size() > 0 && "Precompiled".equals(list.get(0).path("type").asText(null))) {
      if (!list.get(0).path("precompiled_charsmap").isTextual()) {
        return "field 'normalizer.normalizers[0].precompiled_charsmap': expected base64 text,"
            + " found " + describe(list.get(0).get("precompiled_charsmap"));
      }
      i = 1;
    }
    int rest = list.size() - i;
    if (rest == 0 && i == 1) {
      return null;
    }
    if (rest != 2
        || !"Strip".equals(list.get(i).path("type").asText(null))
        || list.get(i).path("strip_left").asBoolean(true)
        || !list.get(i).path("strip_right").asBoolean(false)
        || !"Replace".equals(list.get(i + 1).path("type").asText(null))
        || !EXTRA_SPACES.equals(list.get(i + 1).path("pattern").path("Regex").asText(null))
        || !SPACE.equals(list.get(i + 1).path("content").asText(null))) {
      return "field 'normalizer.normalizers': expected [Precompiled] then, if any,"
          + " Strip(right) and Replace(\"" + EXTRA_SPACES + "\" by \"" + SPACE + "\"), found "
          + describe(list);
    }
    return null;
  }

  private static String addedTokensMismatch(JsonNode added) {
    if (added == null || added.isNull()) {
      return null;
    }
    if (!added.isArray()) {
      return "field 'added_tokens': expected an array, found " + describe(added);
    }
    JsonNode root = NODES.objectNode().set("added_tokens", added);
    for (int i = 0; i < added.size(); i++) {
      String f = "added_tokens[" + i + "]";
      JsonNode t = added.get(i);
      String m;
      if (!t.path("id").isInt() || !t.path("content").isTextual()
          || !t.path("special").isBoolean()) {
        return "field '" + f + "': expected id, content and special, found " + describe(t);
      }
      if ((m = expectBoolean(root, f + ".normalized", false)) != null
          || (m = expectBoolean(root, f + ".single_word", false)) != null
          || (m = expectBoolean(root, f + ".lstrip", false)) != null
          || (m = expectBoolean(root, f + ".rstrip", false)) != null) {
        return m;
      }
    }
    return null;
  }

  /** The model of a file of the shape {@link #write} gives. */
  static SentencePieceModelFile parse(JsonNode root, Path file) throws ConfigException {
    String mismatch = shapeMismatch(root);
    if (mismatch != null) {
      throw new ConfigException(file + ": not a pix2seq sentencepiece tokenizer: " + mismatch);
    }
    JsonNode model = root.get("model");
    JsonNode vocab = model.get("vocab");
    int unkId = model.get("unk_id").intValue();
    boolean byteFallback = model.path("byte_fallback").asBoolean(false);
    JsonNode ext = model.path(EXTENSION);
    List<String> texts = new ArrayList<>(vocab.size());
    List<Float> scores = new ArrayList<>(vocab.size());
    for (int i = 0; i < vocab.size(); i++) {
      JsonNode entry = vocab.get(i);
      if (!entry.isArray() || entry.size() != 2 || !entry.get(0).isTextual()
          || !entry.get(1).isNumber()) {
        throw new ConfigException(
            file + ": field 'model.vocab[" + i + "]': expected [piece, score], found "
                + describe(entry));
      }
      texts.add(entry.get(0).textValue());
      scores.add((float) entry.get(1).doubleValue());
    }
    if (unkId < 0 || unkId >= texts.size()) {
      throw new ConfigException(
          file + ": field 'model.unk_id': expected an id in [0, " + texts.size() + "), found "
              + unkId);
    }
    Map<Integer, PieceType> typeOf = new HashMap<>();
    typeOf.put(unkId, PieceType.UNKNOWN);
    JsonNode added = root.path("added_tokens");
    for (int i = 0; i < added.size(); i++) {
      JsonNode t = added.get(i);
      int id = t.get("id").intValue();
      String field = file + ": field 'added_tokens[" + i + "]': ";
      if (id < 0 || id >= texts.size() || !texts.get(id).equals(t.get("content").textValue())) {
        throw new ConfigException(
            field + "expected the content of model.vocab[" + id + "], found "
                + describe(t.get("content")) + " with id " + id);
      }
      if (typeOf.putIfAbsent(id, t.get("special").booleanValue()
          ? PieceType.CONTROL : PieceType.USER_DEFINED) != null) {
        throw new ConfigException(
            field + "id " + id + " is the unknown piece or an earlier added token");
      }
    }
    Set<Integer> unused = new HashSet<>();
    JsonNode unusedIds = ext.path("unused_ids");
    if (!unusedIds.isMissingNode()) {
      if (!unusedIds.isArray()) {
        throw new ConfigException(
            file + ": field 'model." + EXTENSION + ".unused_ids': expected an array of ids, found "
                + describe(unusedIds));
      }
      for (JsonNode id : unusedIds) {
        if (!id.isInt() || id.intValue() < 0 || id.intValue() >= texts.size()
            || typeOf.containsKey(id.intValue())) {
          throw new ConfigException(
              file + ": field 'model." + EXTENSION + ".unused_ids': expected ids of ordinary"
                  + " pieces, found " + describe(id));
        }
        unused.add(id.intValue());
      }
    }
    List<Piece> pieces = new ArrayList<>(texts.size());
    try {
      for (int id = 0; id < texts.size(); id++) {
        PieceType type = typeOf.get(id);
        if (type == null) {
          type = unused.contains(id) ? PieceType.UNUSED
              : byteFallback && BYTE_PIECE.matcher(texts.get(id)).matches() ? PieceType.BYTE
              : PieceType.NORMAL;
        }
        pieces.add(new Piece(texts.get(id), scores.get(id), type));
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file + ": field 'model.vocab': " + e.getMessage(), e);
    }
    byte[] charsmap = null;
    JsonNode normalizers = root.path("normalizer").path("normalizers");
    boolean removeExtraWhitespaces = false;
    for (JsonNode n : normalizers) {
      if ("Precompiled".equals(n.path("type").asText())) {
        try {
          charsmap = Base64.getDecoder().decode(n.get("precompiled_charsmap").textValue());
        } catch (IllegalArgumentException e) {
          throw new ConfigException(
              file + ": field 'normalizer.normalizers[0].precompiled_charsmap': expected base64,"
                  + " " + e.getMessage(), e);
        }
      } else if ("Strip".equals(n.path("type").asText())) {
        removeExtraWhitespaces = true;
      }
    }
    boolean addDummyPrefix = prependOf(root.get("pre_tokenizer"));
    try {
      return new SentencePieceModelFile(
          pieces,
          byteFallback,
          text(ext, "unk_piece", file),
          text(ext, "bos_piece", file),
          text(ext, "eos_piece", file),
          text(ext, "pad_piece", file),
          text(ext, "unk_surface", file),
          addDummyPrefix,
          removeExtraWhitespaces,
          flag(ext, "escape_whitespaces", true, file),
          flag(ext, "treat_whitespace_as_suffix", false, file),
          charsmap);
    } catch (IllegalArgumentException e) {
      String field = e.getMessage().startsWith("normalizer_spec") ? "normalizer" : "model.vocab";
      throw new ConfigException(file + ": field '" + field + "': " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode ext, String key, Path file) throws ConfigException {
    JsonNode n = ext.get(key);
    if (n == null) {
      return null;
    }
    if (!n.isTextual()) {
      throw new ConfigException(
          file + ": field 'model." + EXTENSION + "." + key + "': expected text, found "
              + describe(n));
    }
    return n.textValue();
  }

  private static boolean flag(JsonNode ext, String key, boolean fallback, Path file)
      throws ConfigException {
    JsonNode n = ext.get(key);
    if (n == null) {
      return fallback;
    }
    if (!n.isBoolean()) {
      throw new ConfigException(
          file + ": field 'model." + EXTENSION + "." + key + "': expected true or false, found "
              + describe(n));
    }
    return n.booleanValue();
  }
}
