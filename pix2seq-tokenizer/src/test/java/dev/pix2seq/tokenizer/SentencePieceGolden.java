package dev.pix2seq.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pix2seq.api.config.ConfigIO;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The golden cases of {@code src/test/resources/sentencepiece/}, written by {@code
 * tools/sentencepiece-golden/make_golden.py} with the sentencepiece library: four tiny unigram
 * models and, for each, {@code sp.decode(ids)} of id lists and {@code sp.encode(text)}, {@code
 * sp.decode(sp.encode(text))} and {@code sp.normalize(text)} of sentences.
 */
final class SentencePieceGolden {
  /** byte_fallback, vocabulary 400, identity normalisation. */
  static final String BYTES = "bytes";

  /** Every option at sentencepiece's default (nmt_nfkc character map), vocabulary 150. */
  static final String DEFAULT = "default";

  /**
   * No dummy prefix, extra white space kept, a user-defined symbol, an extra control symbol, pad
   * but no bos, a custom unknown surface; identity normalisation, vocabulary 120.
   */
  static final String OPTIONS = "options";

  /**
   * Trained on runs of {@code =} and {@code -}, identity normalisation, vocabulary 60: long runs
   * have several segmentations of nearly equal score, and the encoder's single-precision
   * rounding decides between them (13 of its runs segment differently in double precision).
   */
  static final String TIES = "ties";

  static final List<String> MODELS = List.of(BYTES, DEFAULT, OPTIONS, TIES);

  private static final JsonNode ROOT = readGolden();

  private SentencePieceGolden() {}

  /** A decode case: ids and what sentencepiece decodes them to. */
  record DecodeCase(int[] ids, String text) {}

  /** An encode case: text, its ids, their decoding, and sentencepiece's normalised text. */
  record EncodeCase(String text, int[] ids, String decoded, String normalized) {}

  static Path modelFile(String model) {
    return resource(ROOT.path("models").path(model).path("file").textValue());
  }

  static JsonNode model(String model) {
    return ROOT.path("models").path(model);
  }

  static List<DecodeCase> decodeCases(String model) {
    List<DecodeCase> out = new ArrayList<>();
    for (JsonNode c : model(model).path("decode")) {
      out.add(new DecodeCase(ints(c.path("ids")), c.path("text").textValue()));
    }
    return out;
  }

  static List<EncodeCase> encodeCases(String model) {
    List<EncodeCase> out = new ArrayList<>();
    for (JsonNode c : model(model).path("encode")) {
      out.add(
          new EncodeCase(
              c.path("text").textValue(),
              ints(c.path("ids")),
              c.path("decoded").textValue(),
              c.path("normalized").textValue()));
    }
    return out;
  }

  /** (model, case index) for every decode case of every model. */
  static Stream<Arguments> decodeArguments() {
    return MODELS.stream()
        .flatMap(m -> IntStream.range(0, decodeCases(m).size()).mapToObj(i -> Arguments.of(m, i)));
  }

  /** (model, case index) for every encode case of every model. */
  static Stream<Arguments> encodeArguments() {
    return MODELS.stream()
        .flatMap(m -> IntStream.range(0, encodeCases(m).size()).mapToObj(i -> Arguments.of(m, i)));
  }

  private static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).intValue();
    }
    return out;
  }

  static Path resource(String name) {
    try {
      return Path.of(SentencePieceGolden.class.getResource("/sentencepiece/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode readGolden() {
    try {
      return ConfigIO.mapper().readTree(resource("golden.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
