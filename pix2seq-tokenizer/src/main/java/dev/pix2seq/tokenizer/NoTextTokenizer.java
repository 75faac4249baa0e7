package dev.pix2seq.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pix2seq.api.config.ConfigIO;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The text tokenizer of a vocabulary without text tokens, such as a detection-only model's
 * (its vocabulary ends where the text range would start). It has no ids: {@link #decode} gives
 * the empty string, and text cannot be encoded. Saved as a small {@code tokenizer.json} that
 * {@link TextTokenizers#load} reads back. Immutable and thread-safe.
 */
public final class NoTextTokenizer implements TextTokenizer {

  /** The single instance. */
  public static final NoTextTokenizer INSTANCE = new NoTextTokenizer();

  /** The field that marks the file, with the value {@value #MARKER_VALUE}. */
  static final String MARKER_FIELD = "pix2seq.text";

  static final String MARKER_VALUE = "none";

  private NoTextTokenizer() {}

  @Override
  public int size() {
    return 0;
  }

  /**
   * @throws UnsupportedOperationException always: this vocabulary has no text tokens
   */
  @Override
  public String normalize(String text) {
    throw noText();
  }

  /**
   * @throws UnsupportedOperationException always: this vocabulary has no text tokens
   */
  @Override
  public int[] encode(String text) {
    throw noText();
  }

  /** The empty string: every id is outside the (empty) text range. */
  @Override
  public String decode(int[] ids) {
    return "";
  }

  @Override
  public void save(Path tokenizerJson) throws IOException {
    ConfigIO.writeAtomically(tokenizerJson,
        ("{\"" + MARKER_FIELD + "\": \"" + MARKER_VALUE + "\"}\n")
            .getBytes(StandardCharsets.UTF_8));
  }

  /** Whether a {@code tokenizer.json} tree is the file {@link #save} writes. */
  static boolean describes(JsonNode root) {
    JsonNode marker = root.get(MARKER_FIELD);
    return marker != null && MARKER_VALUE.equals(marker.asText()) && root.size() == 1;
  }

  private static UnsupportedOperationException noText() {
    return new UnsupportedOperationException(
        "this model's vocabulary has no text tokens, so it cannot encode or caption text");
  }
}
