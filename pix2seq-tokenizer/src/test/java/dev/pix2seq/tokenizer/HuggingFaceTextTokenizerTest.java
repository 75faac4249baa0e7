package dev.pix2seq.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A foreign tokenizer.json (word level, with a post-processor adding [CLS] and [SEP]). */
class HuggingFaceTextTokenizerTest {
  private static final String WORD_LEVEL = """
      {
        "version": "1.0",
        "truncation": {"direction": "Right", "max_length": 4, "strategy": "LongestFirst",
                       "stride": 0},
        "padding": null,
        "added_tokens": [
          {"id": 0, "content": "[UNK]", "single_word": false, "lstrip": false, "rstrip": false,
           "normalized": false, "special": true},
          {"id": 1, "content": "[CLS]", "single_word": false, "lstrip": false, "rstrip": false,
           "normalized": false, "special": true},
          {"id": 2, "content": "[SEP]", "single_word": false, "lstrip": false, "rstrip": false,
           "normalized": false, "special": true}
        ],
        "normalizer": {"type": "Lowercase"},
        "pre_tokenizer": {"type": "Whitespace"},
        "post_processor": {
          "type": "TemplateProcessing",
          "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                     {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
          "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                   {"Sequence": {"id": "A", "type_id": 0}},
                   {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
                   {"Sequence": {"id": "B", "type_id": 1}},
                   {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
          "special_tokens": {
            "[CLS]": {"id": "[CLS]", "ids": [1], "tokens": ["[CLS]"]},
            "[SEP]": {"id": "[SEP]", "ids": [2], "tokens": ["[SEP]"]}
          }
        },
        "decoder": null,
        "model": {
          "type": "WordLevel",
          "vocab": {"[UNK]": 0, "[CLS]": 1, "[SEP]": 2, "a": 3, "red": 4, "circle": 5, ",": 6},
          "unk_token": "[UNK]"
        }
      }
      """;

  @TempDir Path dir;

  private Path wordLevelFile() throws IOException {
    Path file = dir.resolve("tokenizer.json");
    Files.writeString(file, WORD_LEVEL, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void encodesWithoutSpecialTokensTruncationOrPadding() throws Exception {
    try (HuggingFaceTextTokenizer hf = HuggingFaceTextTokenizer.load(wordLevelFile())) {
      assertEquals(7, hf.size());
      assertArrayEquals(new int[] {3, 4, 5}, hf.encode("A red circle"));
      assertArrayEquals(new int[] {3, 0, 5, 6}, hf.encode("a blue circle,"));
      String longText = String.join(" ", Collections.nCopies(1000, "red"));
      assertEquals(1000, hf.encode(longText).length, "the file's truncation is switched off");
    }
  }

  @Test
  void decodeSkipsSpecialTokensAndIdsOutsideTheVocabulary() throws Exception {
    try (HuggingFaceTextTokenizer hf = HuggingFaceTextTokenizer.load(wordLevelFile())) {
      assertEquals("a red circle", hf.decode(new int[] {1, 3, 4, 99, -2, 5, 2}));
      assertEquals("a circle", hf.normalize("A blue circle"));
    }
  }

  @Test
  void saveWritesTheOriginalBytes() throws Exception {
    Path copy = dir.resolve("copy").resolve("tokenizer.json");
    try (HuggingFaceTextTokenizer hf = HuggingFaceTextTokenizer.load(wordLevelFile())) {
      hf.save(copy);
    }
    assertEquals(WORD_LEVEL, Files.readString(copy, StandardCharsets.UTF_8));
  }

  @Test
  void closedTokenizerFailsClearly() throws Exception {
    HuggingFaceTextTokenizer hf = HuggingFaceTextTokenizer.load(wordLevelFile());
    hf.close();
    hf.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> hf.encode("a"));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  @Test
  void rejectedFilesNameTheFile() throws Exception {
    Path notJson = dir.resolve("broken.json");
    Files.writeString(notJson, "{ nope", StandardCharsets.UTF_8);
    ConfigException e =
        assertThrows(ConfigException.class, () -> HuggingFaceTextTokenizer.load(notJson));
    assertTrue(e.getMessage().startsWith(notJson.toString()), e.getMessage());

    Path notTokenizer = dir.resolve("other.json");
    Files.writeString(notTokenizer, "{\"model\": {\"type\": \"Nothing\"}}", StandardCharsets.UTF_8);
    e = assertThrows(ConfigException.class, () -> HuggingFaceTextTokenizer.load(notTokenizer));
    assertTrue(e.getMessage().startsWith(notTokenizer.toString()), e.getMessage());
  }

  @Test
  void textTokenizersPicksTheImplementationByFormat() throws Exception {
    TextTokenizer foreign = TextTokenizers.load(wordLevelFile());
    try {
      assertInstanceOf(HuggingFaceTextTokenizer.class, foreign);
    } finally {
      ((HuggingFaceTextTokenizer) foreign).close();
    }
    Path ours = dir.resolve("ours.json");
    BpeTokenizer.train(List.of("a red circle"), 50, 1).save(ours);
    TextTokenizer own = TextTokenizers.load(ours);
    assertInstanceOf(BpeTokenizer.class, own);
    assertArrayEquals(BpeTokenizer.load(ours).encode("a red circle"), own.encode("a red circle"));
  }
}
