package dev.pix2seq.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The file {@link BpeTokenizer#save} writes means the same to the HuggingFace tokenizers library
 * (run natively through DJL) as to our encoder: same ids, same decoded text.
 */
class HuggingFaceParityTest {
  private static final Map<String, String> RAW =
      Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");

  /** Vocabulary sizes: small enough that most words stay split, and large enough to merge all. */
  private static final int[] SIZES = {90, 500};

  private static final List<BpeTokenizer> TOKENIZERS = new ArrayList<>();
  private static final List<Path> FILES = new ArrayList<>();

  @BeforeAll
  static void trainAndSave(@TempDir Path dir) throws Exception {
    List<String> corpus = new ArrayList<>(Captions.scenes(21, 3000));
    corpus.add("a \"quoted\" \\ back-slashed café, naïve 🙂 日本 <b>bold</b> 3.14");
    for (int size : SIZES) {
      BpeTokenizer bpe = BpeTokenizer.train(corpus, size, 2);
      Path file = dir.resolve("tokenizer-" + size + ".json");
      bpe.save(file);
      TOKENIZERS.add(bpe);
      FILES.add(file);
    }
  }

  static IntStream cases() {
    return IntStream.range(0, SIZES.length);
  }

  @ParameterizedTest(name = "vocabulary size {0}")
  @MethodSource("cases")
  void huggingFaceGivesOurIdsAndOurDecoding(int which) throws Exception {
    BpeTokenizer bpe = TOKENIZERS.get(which);
    List<String> texts = Captions.varied(22, 400);
    int withUnknown = 0;
    int multiTokenWords = 0;
    try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(FILES.get(which), RAW)) {
      for (String text : texts) {
        int[] ours = bpe.encode(text);
        long[] theirs = hf.encode(text, false, false).getIds();
        assertArrayEquals(IntStream.of(ours).asLongStream().toArray(), theirs, text);
        assertEquals(hf.decode(theirs, false), bpe.decode(ours), text);
        if (IntStream.of(ours).anyMatch(id -> id == bpe.unkId())) {
          withUnknown++;
        }
        multiTokenWords += ours.length - CaptionWords.split(CaptionWords.lowercase(text)).size();
      }
    }
    assertTrue(withUnknown > 20, "the texts exercise unknown characters: " + withUnknown);
    assertTrue(multiTokenWords > 100, "the texts exercise split words: " + multiTokenWords);
  }

  @ParameterizedTest(name = "vocabulary size {0}")
  @MethodSource("cases")
  void huggingFaceDecodesEveryTokenAsWeDo(int which) throws Exception {
    BpeTokenizer bpe = TOKENIZERS.get(which);
    try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(FILES.get(which), RAW)) {
      for (int id = 0; id < bpe.size(); id++) {
        int[] ids = {id, id, 1};
        assertEquals(hf.decode(new long[] {id, id, 1}, false), bpe.decode(ids), "id " + id);
      }
    }
  }

  @Test
  void mergeOrderMatchesOnRepetitiveWords(@TempDir Path dir) throws Exception {
    Random r = new Random(24);
    BpeTokenizer bpe = BpeTokenizer.train(randomTexts(r, 300), 60, 1);
    Path file = dir.resolve("tokenizer.json");
    bpe.save(file);
    assertTrue(bpe.merges().size() > 30);
    try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(file, RAW)) {
      for (String text : randomTexts(r, 500)) {
        assertArrayEquals(
            IntStream.of(bpe.encode(text)).asLongStream().toArray(),
            hf.encode(text, false, false).getIds(),
            text);
      }
    }
  }

  /** Texts of short words over a tiny alphabet, so that pairs overlap and repeat ("aaab"). */
  private static List<String> randomTexts(Random r, int n) {
    String alphabet = "aaabbcA.";
    List<String> texts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      StringBuilder sb = new StringBuilder();
      int words = 1 + r.nextInt(6);
      for (int w = 0; w < words; w++) {
        int len = 1 + r.nextInt(12);
        for (int c = 0; c < len; c++) {
          sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        sb.append(' ');
      }
      texts.add(sb.toString());
    }
    return texts;
  }

  /**
   * Lower-casing and word splitting agree with the library's for every code point up to U+02FF
   * and for a sample of the others (those the running JDK's Unicode tables assign: later Unicode
   * versions may class unassigned ones differently).
   */
  @Test
  void characterClassesAndCaseMatchTheLibrary(@TempDir Path dir) throws Exception {
    BpeTokenizer bpe =
        BpeTokenizer.of(
            List.of("<unk>", "a", "a</w>", "b", "b</w>", "ab</w>"),
            List.of(new BpeTokenizer.Merge("a", "b</w>")));
    Path file = dir.resolve("tokenizer.json");
    bpe.save(file);
    List<String> texts = new ArrayList<>();
    for (int cp = 0; cp <= 0x10FFFF; cp += cp < 0x300 ? 1 : 13) {
      int type = Character.getType(cp);
      if (type != Character.UNASSIGNED && type != Character.SURROGATE) {
        texts.add("a" + Character.toString(cp) + "ab " + Character.toString(cp));
      }
    }
    try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(file, RAW)) {
      var encodings = hf.batchEncode(texts.toArray(new String[0]), false, false);
      for (int i = 0; i < texts.size(); i++) {
        String text = texts.get(i);
        assertArrayEquals(
            IntStream.of(bpe.encode(text)).asLongStream().toArray(),
            encodings[i].getIds(),
            () -> String.format("U+%04X", text.codePointAt(1)));
      }
    }
  }

  @Test
  void ourWrapperOfTheSameFileGivesTheSameIds() throws Exception {
    BpeTokenizer bpe = TOKENIZERS.get(0);
    try (HuggingFaceTextTokenizer hf = HuggingFaceTextTokenizer.load(FILES.get(0))) {
      assertEquals(bpe.size(), hf.size());
      for (String text : Captions.scenes(23, 200)) {
        assertArrayEquals(bpe.encode(text), hf.encode(text), text);
        assertEquals(bpe.normalize(text), hf.normalize(text), text);
      }
    }
  }
}
