package dev.pix2seq.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pix2seq.api.ConfigException;
import dev.pix2seq.api.config.ConfigIO;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTokenizerFileTest {
  private static final BpeTokenizer BPE =
      BpeTokenizer.train(
          Stream.concat(Captions.scenes(11, 1500).stream(), Stream.of("a \"quoted\" \\ café 🙂"))
              .toList(),
          300,
          2);

  @TempDir Path dir;

  @Test
  void saveThenLoadGivesTheSameTokenizer() throws Exception {
    Path file = dir.resolve("tokenizer.json");
    BPE.save(file);
    BpeTokenizer loaded = BpeTokenizer.load(file);
    assertEquals(BPE.vocabulary(), loaded.vocabulary());
    assertEquals(BPE.merges(), loaded.merges());
    for (String text : Captions.varied(12, 200)) {
      assertArrayEquals(BPE.encode(text), loaded.encode(text), text);
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList(), "no temp file is left behind");
    }
  }

  @Test
  void readsMergesWrittenAsPairs() throws Exception {
    Path file = edit(root -> {
      ArrayNode merges = (ArrayNode) root.path("model").path("merges");
      for (int i = 0; i < merges.size(); i++) {
        String[] parts = merges.get(i).textValue().split(" ");
        ArrayNode pair = merges.arrayNode().add(parts[0]).add(parts[1]);
        merges.set(i, pair);
      }
    });
    assertEquals(BPE.merges(), BpeTokenizer.load(file).merges());
  }

  @Test
  void missingFileNamesTheFile() {
    Path file = dir.resolve("absent.json");
    ConfigException e = assertThrows(ConfigException.class, () -> BpeTokenizer.load(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void invalidJsonNamesTheFile() throws IOException {
    Path file = dir.resolve("tokenizer.json");
    Files.writeString(file, "{\"model\": ", StandardCharsets.UTF_8);
    assertMessage(file, "not valid JSON");
  }

  @Test
  void wrongModelTypeNamesTheField() throws Exception {
    Path file = edit(root -> ((ObjectNode) root.get("model")).put("type", "WordPiece"));
    assertMessage(file, "'model.type'", "WordPiece");
  }

  @Test
  void wrongSuffixNamesTheField() throws Exception {
    Path file = edit(root -> ((ObjectNode) root.get("model")).put("end_of_word_suffix", "@@"));
    assertMessage(file, "'model.end_of_word_suffix'");
  }

  @Test
  void wrongNormalizerNamesTheField() throws Exception {
    Path file = edit(root -> ((ObjectNode) root.get("normalizer")).put("type", "NFKC"));
    assertMessage(file, "'normalizer.type'", "NFKC");
  }

  @Test
  void badVocabIdNamesTheToken() throws Exception {
    Path file = edit(root -> ((ObjectNode) root.path("model").path("vocab")).put("red</w>", -4));
    assertMessage(file, "'model.vocab.red</w>'", "-4");
  }

  @Test
  void duplicateVocabIdNamesBothTokens() throws Exception {
    Path file = edit(root -> ((ObjectNode) root.path("model").path("vocab")).put("a", 0));
    assertMessage(file, "'model.vocab.a'", "<unk>");
  }

  @Test
  void mergeWithUnknownTokenNamesItsIndex() throws Exception {
    Path file = edit(root -> ((ArrayNode) root.path("model").path("merges")).set(3, "qq zz"));
    assertMessage(file, "'model.merges[3]'", "qq");
  }

  @Test
  void malformedMergeNamesItsIndex() throws Exception {
    Path file = edit(root -> ((ArrayNode) root.path("model").path("merges")).set(0, "abc"));
    assertMessage(file, "'model.merges[0]'");
  }

  @Test
  void wrongUnknownIdInAddedTokensNamesTheField() throws Exception {
    Path file = edit(root -> ((ObjectNode) root.path("added_tokens").get(0)).put("id", 5));
    assertMessage(file, "'added_tokens[0].id'");
  }

  private Path edit(Consumer<ObjectNode> change) throws IOException {
    Path file = dir.resolve("tokenizer.json");
    BPE.save(file);
    ObjectNode root = (ObjectNode) ConfigIO.mapper().readTree(file.toFile());
    change.accept(root);
    Files.write(file, ConfigIO.mapper().writeValueAsBytes(root));
    return file;
  }

  private static void assertMessage(Path file, String... parts) {
    ConfigException e = assertThrows(ConfigException.class, () -> BpeTokenizer.load(file));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "'" + part + "' missing in: " + e.getMessage());
    }
  }
}
