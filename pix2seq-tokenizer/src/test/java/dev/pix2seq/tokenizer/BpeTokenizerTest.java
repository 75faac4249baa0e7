package dev.pix2seq.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BpeTokenizerTest {
  private static final List<String> CORPUS = Captions.scenes(1, 2000);
  private static final BpeTokenizer BPE = BpeTokenizer.train(CORPUS, 150, 2);

  @Test
  void trainingIsDeterministicAndIndependentOfCorpusOrder() {
    BpeTokenizer again = BpeTokenizer.train(CORPUS, 150, 2);
    assertEquals(BPE.vocabulary(), again.vocabulary());
    assertEquals(BPE.merges(), again.merges());
    List<String> shuffled = new ArrayList<>(CORPUS);
    Collections.shuffle(shuffled, new Random(3));
    BpeTokenizer fromShuffled = BpeTokenizer.train(shuffled, 150, 2);
    assertEquals(BPE.vocabulary(), fromShuffled.vocabulary());
    assertEquals(BPE.merges(), fromShuffled.merges());
  }

  @Test
  void vocabularyStartsWithUnknownThenSortedAlphabetInBothForms() {
    BpeTokenizer bpe = BpeTokenizer.train(List.of("b a", "c"), 100, 1);
    assertEquals(List.of("<unk>", "a", "b", "c", "a</w>", "b</w>", "c</w>"), bpe.vocabulary());
    assertEquals(0, bpe.unkId());
    assertEquals(List.of(), bpe.merges());
  }

  @Test
  void mostFrequentPairWinsAndTiesGoToTheLexicographicallySmallerPair() {
    // "ab" and "cd" both occur twice: the tie goes to a|b</w>; "xy" three times comes first
    BpeTokenizer bpe = BpeTokenizer.train(List.of("cd ab", "ab cd", "xy xy xy"), 100, 2);
    assertEquals(
        List.of(
            new BpeTokenizer.Merge("x", "y</w>"),
            new BpeTokenizer.Merge("a", "b</w>"),
            new BpeTokenizer.Merge("c", "d</w>")),
        bpe.merges());
    assertEquals("xy</w>", bpe.token(bpe.encode("xy")[0]));
  }

  @Test
  void stopsAtVocabSizeAndAtMinFrequency() {
    assertEquals(150, BPE.size());
    BpeTokenizer big = BpeTokenizer.train(CORPUS, 100_000, 1);
    assertTrue(big.size() < 100_000);
    int[] ids = big.encode("two large red circles");
    assertEquals(4, ids.length, "every training word became one token");
    BpeTokenizer rare = BpeTokenizer.train(CORPUS, 100_000, 1_000_000);
    assertEquals(List.of(), rare.merges());
  }

  @Test
  void alphabetLargerThanVocabSizeKeepsTheAlphabet() {
    BpeTokenizer tiny = BpeTokenizer.train(List.of("abc abc"), 2, 1);
    assertEquals(7, tiny.size());
    assertEquals(List.of(), tiny.merges());
  }

  @Test
  void rejectsBadTrainingArguments() {
    assertThrows(IllegalArgumentException.class, () -> BpeTokenizer.train(CORPUS, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> BpeTokenizer.train(CORPUS, 10, 0));
  }

  @Test
  void encodeThenDecodeGivesNormalizeOnSeenAndUnseenText() {
    for (String text : Captions.varied(5, 300)) {
      int[] ids = BPE.encode(text);
      assertEquals(BPE.normalize(text), BPE.decode(ids), text);
      assertTrue(IntStream.of(ids).allMatch(id -> id >= 0 && id < BPE.size()), text);
      assertArrayEquals(ids, BPE.encode(text), "cached encoding differs for " + text);
    }
  }

  @Test
  void normalizeLowerCasesAndSeparatesPunctuation() {
    assertEquals(
        "a red circle , left of two blue squares !",
        BPE.normalize("A  red circle,\tleft of TWO blue\nsquares!"));
    assertEquals("a zebra", BPE.normalize("a zebra"), "unseen words are spelled out");
    assertEquals("a red circle", BPE.decode(BPE.encode("a red circle")));
    assertEquals("", BPE.normalize("  \t "));
  }

  @Test
  void unseenCharactersBecomeUnknownTokens() {
    int[] ids = BPE.encode("a 日本");
    assertEquals(3, ids.length);
    assertEquals(0, ids[1]);
    assertEquals(0, ids[2]);
    assertEquals("a <unk><unk>", BPE.normalize("a 日本"));
    // an unknown last character loses the end-of-word mark, so the next word runs on
    assertEquals("z<unk>red", BPE.normalize("zé red"));
    assertEquals("r<unk>d", BPE.normalize("rÉd"), "É lower-cases to the unseen é");
  }

  @Test
  void literalUnknownTokenIsTheSpecialToken() {
    int[] ids = BPE.encode("red<unk>blue");
    assertEquals(BPE.unkId(), ids[BPE.encode("red").length]);
    assertArrayEquals(BPE.encode("<UNK>"), BPE.encode("< UNK >"));
  }

  @Test
  void mergesApplyByRankNotLeftToRight() {
    BpeTokenizer bpe =
        BpeTokenizer.of(
            List.of("<unk>", "a", "b", "c</w>", "bc</w>", "ab", "abc</w>"),
            List.of(
                new BpeTokenizer.Merge("b", "c</w>"),
                new BpeTokenizer.Merge("a", "b"),
                new BpeTokenizer.Merge("a", "bc</w>")));
    assertArrayEquals(new int[] {6}, bpe.encode("abc"));
    BpeTokenizer leftFirst =
        BpeTokenizer.of(
            List.of("<unk>", "a", "b", "c</w>", "bc</w>", "ab"),
            List.of(new BpeTokenizer.Merge("a", "b"), new BpeTokenizer.Merge("b", "c</w>")));
    assertArrayEquals(new int[] {5, 3}, leftFirst.encode("abc"));
    assertArrayEquals(new int[] {5, 5, 4}, leftFirst.encode("ababbc"));
  }

  @Test
  void decodeSkipsIdsOutsideTheVocabulary() {
    int[] ids = BPE.encode("red circle");
    int[] withJunk = new int[ids.length * 2 + 1];
    for (int i = 0; i < ids.length; i++) {
      withJunk[2 * i] = i % 2 == 0 ? -1 : BPE.size();
      withJunk[2 * i + 1] = ids[i];
    }
    withJunk[withJunk.length - 1] = 1 << 30;
    assertEquals("red circle", BPE.decode(withJunk));
    assertEquals("", BPE.decode(new int[0]));
  }

  @Test
  void rejectsInconsistentVocabularies() {
    assertThrows(IllegalArgumentException.class, () -> BpeTokenizer.of(List.of("a"), List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> BpeTokenizer.of(List.of("<unk>", "a", "a"), List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> BpeTokenizer.of(
            List.of("<unk>", "a", "b"), List.of(new BpeTokenizer.Merge("a", "b"))));
  }

  @Test
  void wordsFollowUnicodeWordAndSpaceClasses() {
    assertEquals(
        List.of("it", "'", "s", "3", ".", "5", "x_y", "café", "--", "日本語", "🙂🚀"),
        CaptionWords.split("it's 3.5 x_y café -- 日本語 🙂🚀"));
    assertEquals(List.of("a", "b", "c"), CaptionWords.split("a\u00a0b\u3000c"));
    assertEquals(List.of("e\u0301t\u200dé"), CaptionWords.split("e\u0301t\u200dé"));
    assertEquals(
        "i\u0307stanbul σοφοσ straße", CaptionWords.lowercase("İstanbul ΣΟΦΟΣ Straße"));
  }
}
