package dev.pix2seq.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.core.util.Separators.Spacing;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pix2seq.api.ConfigException;
import dev.pix2seq.api.config.ConfigIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The HuggingFace {@code tokenizer.json} form of a {@link BpeTokenizer}: a {@code BPE} model with
 * {@code end_of_word_suffix} {@value BpeTokenizer#END_OF_WORD_SUFFIX} and {@code unk_token}
 * {@value BpeTokenizer#UNK_TOKEN}, a {@code Lowercase} normalizer, a {@code Whitespace}
 * pre-tokenizer, a {@code BPEDecoder} and the unknown token as the only (special) added token.
 * Merges are written as {@code "left right"} strings, the form every tokenizers version reads
 * (tokens never contain a space); both that form and {@code [left, right]} pairs are read.
 */
final class BpeTokenizerFile {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private BpeTokenizerFile() {}

  /** The vocabulary (token i has id i) and the merges in rank order. */
  record Content(List<String> vocabulary, List<BpeTokenizer.Merge> merges) {}

  static void write(Path file, List<String> tokens, List<BpeTokenizer.Merge> merges, int unkId)
      throws IOException {
    ObjectNode root = NODES.objectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ObjectNode unk = root.putArray("added_tokens").addObject();
    unk.put("id", unkId);
    unk.put("content", BpeTokenizer.UNK_TOKEN);
    unk.put("single_word", false);
    unk.put("lstrip", false);
    unk.put("rstrip", false);
    unk.put("normalized", false);
    unk.put("special", true);
    root.putObject("normalizer").put("type", "Lowercase");
    root.putObject("pre_tokenizer").put("type", "Whitespace");
    root.putNull("post_processor");
    root.putObject("decoder")
        .put("type", "BPEDecoder")
        .put("suffix", BpeTokenizer.END_OF_WORD_SUFFIX);
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.put("unk_token", BpeTokenizer.UNK_TOKEN);
    model.putNull("continuing_subword_prefix");
    model.put("end_of_word_suffix", BpeTokenizer.END_OF_WORD_SUFFIX);
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    model.put("ignore_merges", false);
    ObjectNode vocab = model.putObject("vocab");
    for (int i = 0; i < tokens.size(); i++) {
      vocab.put(tokens.get(i), i);
    }
    ArrayNode mergeList = model.putArray("merges");
    for (BpeTokenizer.Merge m : merges) {
      mergeList.add(m.left() + " " + m.right());
    }
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter()
            .withSeparators(
                Separators.createDefaultInstance().withObjectFieldValueSpacing(Spacing.AFTER));
    ConfigIO.writeAtomically(file, ConfigIO.mapper().writer(printer).writeValueAsBytes(root));
  }

  /** Parses a file as JSON; errors name the file. */
  static JsonNode readTree(Path file) throws ConfigException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read tokenizer file: " + e, e);
    }
    return parseTree(bytes, file);
  }

  /** Parses bytes of {@code file} as JSON; errors name the file. */
  static JsonNode parseTree(byte[] bytes, Path file) throws ConfigException {
    try {
      JsonNode root = ConfigIO.mapper().readTree(bytes);
      if (root == null || !root.isObject()) {
        throw new ConfigException(file + ": expected a JSON object at the top level");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new ConfigException(
          file + ": not valid JSON: " + e.getOriginalMessage() + " at line "
              + e.getLocation().getLineNr(), e);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read tokenizer file: " + e, e);
    }
  }

  static Content parse(JsonNode root, Path file) throws ConfigException {
    String mismatch = shapeMismatch(root);
    if (mismatch != null) {
      throw new ConfigException(file + ": not a pix2seq BPE tokenizer: " + mismatch);
    }
    JsonNode model = root.get("model");
    List<String> vocabulary = readVocab(model.get("vocab"), file);
    List<BpeTokenizer.Merge> merges = readMerges(model.get("merges"), vocabulary, file);
    int unkId = vocabulary.indexOf(BpeTokenizer.UNK_TOKEN);
    if (unkId < 0) {
      throw new ConfigException(
          file + ": field 'model.vocab': expected the token " + BpeTokenizer.UNK_TOKEN
              + ", found none");
    }
    JsonNode addedId = root.get("added_tokens").get(0).get("id");
    if (!addedId.isInt() || addedId.intValue() != unkId) {
      throw new ConfigException(
          file + ": field 'added_tokens[0].id': expected " + unkId + " (the id of "
              + BpeTokenizer.UNK_TOKEN + " in model.vocab), found " + addedId);
    }
    return new Content(vocabulary, merges);
  }

  /**
   * Why the file does not have the shape {@link #write} gives it (ignoring vocab and merges), as
   * {@code "field 'x': expected ..., found ..."}; null when it has.
   */
  static String shapeMismatch(JsonNode root) {
    String m;
    if ((m = expectNullOrAbsent(root, "truncation")) != null
        || (m = expectNullOrAbsent(root, "padding")) != null
        || (m = expectNullOrAbsent(root, "post_processor")) != null
        || (m = expectText(root, "model.type", "BPE")) != null
        || (m = expectText(root, "model.unk_token", BpeTokenizer.UNK_TOKEN)) != null
        || (m = expectText(root, "model.end_of_word_suffix", BpeTokenizer.END_OF_WORD_SUFFIX))
            != null
        || (m = expectNullOrAbsent(root, "model.continuing_subword_prefix")) != null
        || (m = expectNullOrAbsent(root, "model.dropout")) != null
        || (m = expectFalseOrAbsent(root, "model.fuse_unk")) != null
        || (m = expectFalseOrAbsent(root, "model.byte_fallback")) != null
        || (m = expectFalseOrAbsent(root, "model.ignore_merges")) != null
        || (m = expectText(root, "normalizer.type", "Lowercase")) != null
        || (m = expectText(root, "pre_tokenizer.type", "Whitespace")) != null
        || (m = expectText(root, "decoder.type", "BPEDecoder")) != null
        || (m = expectText(root, "decoder.suffix", BpeTokenizer.END_OF_WORD_SUFFIX)) != null) {
      return m;
    }
    JsonNode added = root.get("added_tokens");
    if (added == null || !added.isArray() || added.size() != 1) {
      return "field 'added_tokens': expected exactly one entry (" + BpeTokenizer.UNK_TOKEN
          + "), found " + describe(added);
    }
    if ((m = expectText(root, "added_tokens[0].content", BpeTokenizer.UNK_TOKEN)) != null
        || (m = expectBoolean(root, "added_tokens[0].special", true)) != null
        || (m = expectBoolean(root, "added_tokens[0].normalized", false)) != null
        || (m = expectBoolean(root, "added_tokens[0].single_word", false)) != null
        || (m = expectBoolean(root, "added_tokens[0].lstrip", false)) != null
        || (m = expectBoolean(root, "added_tokens[0].rstrip", false)) != null) {
      return m;
    }
    return null;
  }

  private static List<String> readVocab(JsonNode vocab, Path file) throws ConfigException {
    if (vocab == null || !vocab.isObject()) {
      throw new ConfigException(
          file + ": field 'model.vocab': expected an object of token ids, found "
              + describe(vocab));
    }
    String[] tokens = new String[vocab.size()];
    for (Map.Entry<String, JsonNode> e : vocab.properties()) {
      JsonNode id = e.getValue();
      if (!id.isInt() || id.intValue() < 0 || id.intValue() >= tokens.length) {
        throw new ConfigException(
            file + ": field 'model.vocab." + e.getKey() + "': expected an id in [0, "
                + tokens.length + "), found " + id);
      }
      if (e.getKey().isEmpty()) {
        throw new ConfigException(file + ": field 'model.vocab': found an empty token");
      }
      String before = tokens[id.intValue()];
      if (before != null) {
        throw new ConfigException(
            file + ": field 'model.vocab." + e.getKey() + "': id " + id.intValue()
                + " is also the id of '" + before + "'");
      }
      tokens[id.intValue()] = e.getKey();
    }
    return Arrays.asList(tokens);
  }

  private static List<BpeTokenizer.Merge> readMerges(
      JsonNode merges, List<String> vocabulary, Path file) throws ConfigException {
    if (merges == null || !merges.isArray()) {
      throw new ConfigException(
          file + ": field 'model.merges': expected an array, found " + describe(merges));
    }
    Set<String> known = new HashSet<>(vocabulary);
    List<BpeTokenizer.Merge> out = new ArrayList<>(merges.size());
    for (int i = 0; i < merges.size(); i++) {
      JsonNode m = merges.get(i);
      String left = null;
      String right = null;
      if (m.isTextual()) {
        String[] parts = m.textValue().split(" ", -1);
        if (parts.length == 2) {
          left = parts[0];
          right = parts[1];
        }
      } else if (m.isArray() && m.size() == 2 && m.get(0).isTextual() && m.get(1).isTextual()) {
        left = m.get(0).textValue();
        right = m.get(1).textValue();
      }
      String field = file + ": field 'model.merges[" + i + "]': ";
      if (left == null || left.isEmpty() || right == null || right.isEmpty()) {
        throw new ConfigException(
            field + "expected \"left right\" or [\"left\", \"right\"], found " + m);
      }
      for (String token : new String[] {left, right, left + right}) {
        if (!known.contains(token)) {
          throw new ConfigException(
              field + "expected tokens of model.vocab, found '" + token + "', which is not");
        }
      }
      out.add(new BpeTokenizer.Merge(left, right));
    }
    return out;
  }

  static JsonNode at(JsonNode root, String path) {
    JsonNode node = root;
    for (String part : path.split("\\.")) {
      if (node == null) {
        return null;
      }
      int bracket = part.indexOf('[');
      if (bracket >= 0) {
        node = node.get(part.substring(0, bracket));
        int index = Integer.parseInt(part.substring(bracket + 1, part.length() - 1));
        node = node == null ? null : node.get(index);
      } else {
        node = node.get(part);
      }
    }
    return node;
  }

  static String expectText(JsonNode root, String path, String expected) {
    JsonNode n = at(root, path);
    return n != null && n.isTextual() && n.textValue().equals(expected)
        ? null
        : "field '" + path + "': expected \"" + expected + "\", found " + describe(n);
  }

  static String expectNullOrAbsent(JsonNode root, String path) {
    JsonNode n = at(root, path);
    return n == null || n.isNull() ? null : "field '" + path + "': expected null, found "
        + describe(n);
  }

  static String expectFalseOrAbsent(JsonNode root, String path) {
    JsonNode n = at(root, path);
    return n == null || n.isNull() || n.isBoolean() && !n.booleanValue()
        ? null
        : "field '" + path + "': expected false, found " + describe(n);
  }

  static String expectBoolean(JsonNode root, String path, boolean expected) {
    JsonNode n = at(root, path);
    return n != null && n.isBoolean() && n.booleanValue() == expected
        ? null
        : "field '" + path + "': expected " + expected + ", found " + describe(n);
  }

  static String describe(JsonNode n) {
    if (n == null) {
      return "nothing";
    }
    String s = n.toString();
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
