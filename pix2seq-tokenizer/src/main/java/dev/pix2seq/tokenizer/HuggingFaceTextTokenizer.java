package dev.pix2seq.tokenizer;

import ai.djl.engine.EngineException;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pix2seq.api.ConfigException;
import dev.pix2seq.api.config.ConfigIO;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Any HuggingFace {@code tokenizer.json} as a caption tokenizer, run by the native {@code
 * tokenizers} library through DJL's {@link HuggingFaceTokenizer}. Text is encoded without the
 * tokenizer's special tokens (no BOS/EOS/CLS: the unified vocabulary has its own EOS), with
 * truncation and padding off; decoding skips special tokens. {@link #save} writes the original
 * file's bytes back.
 *
 * <pre>{@code
 * try (HuggingFaceTextTokenizer hf = HuggingFaceTextTokenizer.load(Path.of("tokenizer.json"))) {
 *   int[] ids = hf.encode("a red circle");
 * }
 * }</pre>
 *
 * <p>The native library ships inside the DJL {@code tokenizers} jar; nothing is downloaded. Run
 * with {@code -Dai.djl.offline=true} (or {@code OPT_OUT_TRACKING=true}) so that DJL does not
 * look up cloud instance metadata when a tokenizer is created.
 *
 * <p>Thread-safe: {@link #encode} and {@link #decode} may run concurrently. The object owns a
 * native tokenizer: {@link #close} frees it (call it once no thread uses the tokenizer any more);
 * encoding or decoding after that throws {@link IllegalStateException}.
 */
public final class HuggingFaceTextTokenizer implements TextTokenizer, AutoCloseable {
  private static final Map<String, String> OPTIONS =
      Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");

  private final Path source;
  private final byte[] json;
  private final int size;
  private final HuggingFaceTokenizer tokenizer;
  private volatile boolean closed;

  private HuggingFaceTextTokenizer(
      Path source, byte[] json, int size, HuggingFaceTokenizer tokenizer) {
    this.source = source;
    this.json = json;
    this.size = size;
    this.tokenizer = tokenizer;
  }

  /**
   * Loads a {@code tokenizer.json}.
   *
   * @throws ConfigException when the file cannot be read, is not JSON, or the tokenizers library
   *     rejects it; the message names the file
   * @throws IllegalStateException when the native tokenizers library cannot be loaded
   */
  public static HuggingFaceTextTokenizer load(Path tokenizerJson) throws ConfigException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(tokenizerJson);
    } catch (IOException e) {
      throw new ConfigException(tokenizerJson + ": cannot read tokenizer file: " + e, e);
    }
    JsonNode root = BpeTokenizerFile.parseTree(bytes, tokenizerJson);
    int size = idCount(root);
    HuggingFaceTokenizer tokenizer;
    try {
      tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(bytes), OPTIONS);
    } catch (EngineException e) {
      throw new IllegalStateException(
          "the HuggingFace tokenizers native library cannot be loaded (needed for "
              + tokenizerJson + "): " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(
          tokenizerJson + ": the HuggingFace tokenizers library rejects the file: "
              + e.getMessage(), e);
    }
    return new HuggingFaceTextTokenizer(tokenizerJson, bytes, size, tokenizer);
  }

  /** One more than the largest id of {@code model.vocab} and {@code added_tokens}. */
  private static int idCount(JsonNode root) {
    int count = 0;
    JsonNode vocab = root.path("model").path("vocab");
    if (vocab.isObject()) {
      for (Map.Entry<String, JsonNode> e : vocab.properties()) {
        count = Math.max(count, e.getValue().asInt(-1) + 1);
      }
    } else if (vocab.isArray()) {
      count = vocab.size();
    }
    for (JsonNode added : root.path("added_tokens")) {
      count = Math.max(count, added.path("id").asInt(-1) + 1);
    }
    return count;
  }

  /** The file this tokenizer was loaded from. */
  public Path source() {
    return source;
  }

  @Override
  public int size() {
    return size;
  }

  /** {@code decode(encode(text))}: what the tokenizer keeps of the text. */
  @Override
  public String normalize(String text) {
    return decode(encode(text));
  }

  @Override
  public int[] encode(String text) {
    long[] ids = open().encode(text, false, false).getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = (int) ids[i];
    }
    return out;
  }

  @Override
  public String decode(int[] ids) {
    long[] kept = new long[ids.length];
    int n = 0;
    for (int id : ids) {
      if (id >= 0 && id < size) {
        kept[n++] = id;
      }
    }
    return open().decode(Arrays.copyOf(kept, n), true);
  }

  /** Writes the bytes of the original file, atomically. */
  @Override
  public void save(Path tokenizerJson) throws IOException {
    ConfigIO.writeAtomically(tokenizerJson, json);
  }

  /** Frees the native tokenizer; later calls do nothing. */
  @Override
  public void close() {
    closed = true;
    tokenizer.close();
  }

  private HuggingFaceTokenizer open() {
    if (closed) {
      throw new IllegalStateException("the tokenizer of " + source + " is closed");
    }
    return tokenizer;
  }

  @Override
  public String toString() {
    return "HuggingFaceTextTokenizer[" + source + ", " + size + " ids]";
  }
}
