package dev.pix2seq.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pix2seq.api.ConfigException;
import java.nio.file.Path;

/**
 * Opens a {@code tokenizer.json} as the right {@link TextTokenizer}.
 *
 * <pre>{@code
 * TextTokenizer text = TextTokenizers.load(checkpointDir.resolve("tokenizer.json"));
 * }</pre>
 */
public final class TextTokenizers {
  private TextTokenizers() {}

  /**
   * A {@link BpeTokenizer} when the file has the shape {@link BpeTokenizer#save} writes (BPE
   * model with end-of-word suffix, Lowercase, Whitespace, BPEDecoder, only the unknown token
   * added); a {@link SentencePieceTokenizer} when it has the shape {@link
   * SentencePieceTokenizer#save} writes (Unigram model, Metaspace, optional Precompiled
   * normalizer and ByteFallback decoder); {@link NoTextTokenizer} for the file it writes (a
   * vocabulary without text); these need no native code. Otherwise a {@link
   * HuggingFaceTextTokenizer}, which the caller should close when done with it (it is {@link
   * AutoCloseable}).
   *
   * @throws ConfigException when the file cannot be read or is not a valid tokenizer; the
   *     message names the file and, for our own format, the field
   */
  public static TextTokenizer load(Path tokenizerJson) throws ConfigException {
    JsonNode root = BpeTokenizerFile.readTree(tokenizerJson);
    if (NoTextTokenizer.describes(root)) {
      return NoTextTokenizer.INSTANCE;
    }
    if (BpeTokenizerFile.shapeMismatch(root) == null) {
      return BpeTokenizer.fromJson(root, tokenizerJson);
    }
    if (SentencePieceTokenizerFile.shapeMismatch(root) == null) {
      return SentencePieceTokenizer.fromJson(root, tokenizerJson);
    }
    return HuggingFaceTextTokenizer.load(tokenizerJson);
  }
}
