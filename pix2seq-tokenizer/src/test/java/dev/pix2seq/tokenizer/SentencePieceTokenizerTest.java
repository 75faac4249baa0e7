package dev.pix2seq.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pix2seq.tokenizer.SentencePieceModelFile.PieceType;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Behaviour of {@link SentencePieceTokenizer} beyond the golden cases. */
class SentencePieceTokenizerTest {
  private final SentencePieceTokenizer spm =
      SentencePieceGoldenTest.tokenizer(SentencePieceGolden.DEFAULT);
  private final SentencePieceTokenizer bytes =
      SentencePieceGoldenTest.tokenizer(SentencePieceGolden.BYTES);

  @Test
  void captionsStopAtEosWhichDecodesToNothing() {
    int[] ids = spm.encode("a red dog in a park.");
    int[] withEos = IntStream.concat(IntStream.of(ids), IntStream.of(spm.eosId())).toArray();
    assertEquals(2, spm.eosId());
    assertEquals(PieceType.CONTROL, spm.type(spm.eosId()));
    assertEquals("a red dog in a park.", spm.decode(withEos));
  }

  @Test
  void idsOutsideTheVocabularyAreSkipped() {
    int[] ids = spm.encode("a dog");
    int[] noisy = {-1, ids[0], spm.size(), ids[1], Integer.MAX_VALUE};
    assertEquals("a dog", spm.decode(noisy));
  }

  @Test
  void unknownCharactersBecomeOneUnknownIdPerRun() {
    int[] ids = spm.encode("QQQ dog");
    assertEquals(spm.unkId(), ids[1]);
    assertEquals(" \u2047  dog", spm.normalize("QQQ dog"));
  }

  @Test
  void byteFallbackSpellsUnknownCharactersAsUtf8Bytes() {
    int[] ids = bytes.encode("é");
    assertArrayEquals(new String[] {"\u2581", "<0xC3>", "<0xA9>"},
        IntStream.of(ids).mapToObj(bytes::piece).toArray(String[]::new));
    assertEquals("é", bytes.decode(ids));
    assertEquals("\uFFFD", bytes.decode(new int[] {ids[1]}), "a lone lead byte");
  }

  @Test
  void unpairedSurrogateIsEncodedAsReplacementCharacter() {
    assertArrayEquals(bytes.encode("a\uFFFDb"), bytes.encode("a\uD800b"));
  }

  @Test
  void emptyAndBlankTextGiveNoIds() {
    assertEquals(0, spm.encode("").length);
    assertEquals(0, spm.encode(" \t\n ").length);
    assertEquals("", spm.decode(new int[0]));
  }

  @Test
  void pieceAndTypeCheckTheId() {
    assertEquals("<unk>", spm.piece(0));
    assertEquals(PieceType.UNKNOWN, spm.type(0));
    assertThrows(IndexOutOfBoundsException.class, () -> spm.piece(spm.size()));
    assertThrows(IndexOutOfBoundsException.class, () -> spm.type(-1));
  }

  @Test
  void specialIdsFollowThePieceNames() {
    SentencePieceTokenizer options = SentencePieceGoldenTest.tokenizer(SentencePieceGolden.OPTIONS);
    assertEquals(-1, options.bosId(), "no <s> piece");
    assertEquals(3, options.padId());
    int[] dog = options.encode("dog");
    int[] ids = IntStream.concat(IntStream.of(options.unkId()), IntStream.of(dog)).toArray();
    assertEquals("<?>dog", options.decode(ids), "the model's unknown surface");
  }
}
