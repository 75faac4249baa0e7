package dev.pix2seq.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pix2seq.api.ConfigException;
import dev.pix2seq.tokenizer.SentencePieceGolden.DecodeCase;
import dev.pix2seq.tokenizer.SentencePieceGolden.EncodeCase;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our tokenizer against the sentencepiece library, case by case (see {@link SentencePieceGolden}).
 * Every golden case is exact: decoding (control, unknown and byte pieces, malformed UTF-8, ids
 * ending in EOS), and encoding with its normalisation and {@code decode(encode(text))} — white
 * space variants, upper case, digits, unseen words, accents, emoji, CJK, full-width forms,
 * ligatures, combining marks, no-break and zero-width spaces (the last six rewritten by the
 * {@code nmt_nfkc} map of the default model), literal {@code <unk>}, {@code </s>} and {@code ▁},
 * random text, and the near-ties of the {@code ties} model. What the Javadoc of {@link
 * SentencePieceTokenizer} leaves out has no case here: Python cannot encode an unpaired
 * surrogate, and sentencepiece fails on ids outside the vocabulary where we skip them (both in
 * {@link SentencePieceTokenizerTest}).
 */
class SentencePieceGoldenTest {
  static final List<String> MODELS = SentencePieceGolden.MODELS;

  private static final Map<String, SentencePieceTokenizer> TOKENIZERS = new HashMap<>();

  static synchronized SentencePieceTokenizer tokenizer(String model) {
    return TOKENIZERS.computeIfAbsent(
        model,
        m -> {
          try {
            return SentencePieceTokenizer.open(SentencePieceGolden.modelFile(m));
          } catch (ConfigException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("MODELS")
  void sizeAndSpecialIdsAreSentencePieces(String model) {
    JsonNode golden = SentencePieceGolden.model(model);
    SentencePieceTokenizer spm = tokenizer(model);
    assertEquals(golden.path("size").intValue(), spm.size());
    assertEquals(golden.path("unk_id").intValue(), spm.unkId(), "unk");
    assertEquals(golden.path("bos_id").intValue(), spm.bosId(), "bos");
    assertEquals(golden.path("eos_id").intValue(), spm.eosId(), "eos");
    assertEquals(golden.path("pad_id").intValue(), spm.padId(), "pad");
  }

  @ParameterizedTest(name = "{0} decode case {1}")
  @MethodSource("dev.pix2seq.tokenizer.SentencePieceGolden#decodeArguments")
  void decodesAsSentencePiece(String model, int index) {
    DecodeCase c = SentencePieceGolden.decodeCases(model).get(index);
    assertEquals(c.text(), tokenizer(model).decode(c.ids()), () -> Arrays.toString(c.ids()));
  }

  @ParameterizedTest(name = "{0} encode case {1}")
  @MethodSource("dev.pix2seq.tokenizer.SentencePieceGolden#encodeArguments")
  void encodesAsSentencePiece(String model, int index) {
    EncodeCase c = SentencePieceGolden.encodeCases(model).get(index);
    SentencePieceTokenizer spm = tokenizer(model);
    assertEquals(c.normalized(), spm.normalizedForSegmentation(c.text()), "normalized");
    assertArrayEquals(c.ids(), spm.encode(c.text()), "ids");
    assertEquals(c.decoded(), spm.decode(c.ids()), "decode of sentencepiece's ids");
    assertEquals(c.decoded(), spm.normalize(c.text()), "normalize");
  }
}
