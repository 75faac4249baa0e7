package dev.pix2seq.tokenizer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pix2seq.api.ConfigException;
import dev.pix2seq.api.config.ConfigIO;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.vocab.TokenRange;
import dev.pix2seq.api.vocab.VocabLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The unified vocabulary of one model: the layout, the coordinate quantizer, the dataset's
 * categories (class token {@code classBase + i} for the i-th category) and the caption
 * tokenizer (text token {@code textBase + t}). Immutable and thread-safe.
 *
 * <pre>{@code
 * Vocabulary vocab = new Vocabulary(Vocabulary.defaultLayout(), categories, textTokenizer);
 * int y = vocab.coordToken(0.25);           // 1000 + 250 with the default layout
 * int cls = vocab.classToken(categoryId);   // 100 + index of the category
 * }</pre>
 */
public final class Vocabulary {
  /** File name of the layout and categories inside a checkpoint. */
  public static final String VOCAB_FILE = "vocab.json";

  /** File name of the text tokenizer inside a checkpoint. */
  public static final String TOKENIZER_FILE = "tokenizer.json";

  private static final String DEFAULT_LAYOUT_RESOURCE = "vocab-layout.json";

  private final VocabLayout layout;
  private final CoordinateQuantizer quantizer;
  private final List<Category> categories;
  private final Map<Integer, Integer> indexOfCategory;
  private final TextTokenizer text;

  /**
   * @param layout the id layout
   * @param categories dataset categories in class-token order; ids unique; at most
   *     {@code layout.maxClasses()}
   * @param text the caption tokenizer
   * @throws IllegalArgumentException if an argument is missing, the categories repeat an id or
   *     exceed the layout's class slots
   */
  public Vocabulary(VocabLayout layout, List<Category> categories, TextTokenizer text) {
    if (layout == null || categories == null || text == null) {
      throw new IllegalArgumentException(
          "a vocabulary needs a layout, categories and a text tokenizer, found layout "
              + (layout == null ? "missing" : "given") + ", categories "
              + (categories == null ? "missing" : "given") + ", text tokenizer "
              + (text == null ? "missing" : "given"));
    }
    for (int i = 0; i < categories.size(); i++) {
      if (categories.get(i) == null) {
        throw new IllegalArgumentException(
            "categories must not hold null, found one at index " + i);
      }
    }
    this.layout = layout;
    this.quantizer = new CoordinateQuantizer(layout.coordBins());
    this.categories = List.copyOf(categories);
    this.text = text;
    if (categories.size() > layout.maxClasses()) {
      throw new IllegalArgumentException(
          "the layout holds at most " + layout.maxClasses() + " classes, found "
              + categories.size() + " categories");
    }
    Map<Integer, Integer> index = new HashMap<>();
    for (int i = 0; i < categories.size(); i++) {
      if (index.put(categories.get(i).id(), i) != null) {
        throw new IllegalArgumentException(
            "category ids must be unique, found " + categories.get(i).id() + " twice");
      }
    }
    this.indexOfCategory = Map.copyOf(index);
  }

  /** The default layout of DESIGN.md section 3, read from {@code vocab-layout.json}. */
  public static VocabLayout defaultLayout() {
    try (InputStream in = Vocabulary.class.getResourceAsStream(DEFAULT_LAYOUT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + DEFAULT_LAYOUT_RESOURCE + " is missing");
      }
      return ConfigIO.mapper().readValue(in, VocabLayout.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + DEFAULT_LAYOUT_RESOURCE, e);
    }
  }

  public VocabLayout layout() {
    return layout;
  }

  public CoordinateQuantizer quantizer() {
    return quantizer;
  }

  public List<Category> categories() {
    return categories;
  }

  public TextTokenizer textTokenizer() {
    return text;
  }

  /** Total number of token ids the model must predict. */
  public int size() {
    return layout.textBase() + text.size();
  }

  /** The prompt token of a task. */
  public int taskToken(String task) {
    return layout.taskToken(task);
  }

  /** Token of normalised coordinate {@code v} (clipped to [0, 1]). */
  public int coordToken(double v) {
    return layout.coordBase() + quantizer.quantize(v);
  }

  /** Normalised coordinate of a coordinate token. */
  public double coordValue(int token) {
    if (!layout.isCoord(token)) {
      throw new IllegalArgumentException("token " + token + " is not a coordinate token");
    }
    return quantizer.dequantize(token - layout.coordBase());
  }

  /** Class token of a dataset category id. */
  public int classToken(int categoryId) {
    Integer i = indexOfCategory.get(categoryId);
    if (i == null) {
      throw new IllegalArgumentException(
          "category id " + categoryId + " is not in the vocabulary's " + categories.size()
              + " categories");
    }
    return layout.classBase() + i;
  }

  /** The category of a class token, or null when the token names no category. */
  public Category categoryOf(int classToken) {
    int i = classToken - layout.classBase();
    return i >= 0 && i < categories.size() ? categories.get(i) : null;
  }

  /** Class tokens that name a category. */
  public TokenRange usedClassRange() {
    return new TokenRange(layout.classBase(), layout.classBase() + categories.size());
  }

  /** Text tokens of the tokenizer. */
  public TokenRange textRange() {
    return layout.textRange(text.size());
  }

  /** Vocabulary tokens of a caption. */
  public int[] textTokens(String caption) {
    int[] ids = text.encode(caption);
    int[] tokens = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      tokens[i] = ids[i] + layout.textBase();
    }
    return tokens;
  }

  /** The caption of vocabulary tokens; tokens outside the text range are skipped. */
  public String text(int[] tokens) {
    int[] ids = new int[tokens.length];
    int n = 0;
    for (int t : tokens) {
      if (t >= layout.textBase() && t < layout.textBase() + text.size()) {
        ids[n++] = t - layout.textBase();
      }
    }
    return text.decode(java.util.Arrays.copyOf(ids, n));
  }

  /**
   * A readable name of a token, for docs and debugging: {@code PAD}, {@code [detect]}, {@code
   * <0.250>} (coordinate), {@code <person>} (class), {@code 'red'} (text), {@code <5000>} (none).
   */
  public String describe(int token) {
    if (token == layout.pad()) {
      return "PAD";
    }
    if (token == layout.eos()) {
      return "EOS";
    }
    if (token == layout.fake()) {
      return "FAKE";
    }
    if (token == layout.sep()) {
      return "SEP";
    }
    if (token == layout.invisible()) {
      return "INVISIBLE";
    }
    for (Map.Entry<String, Integer> e : layout.taskTokens().entrySet()) {
      if (e.getValue() == token) {
        return "[" + e.getKey() + "]";
      }
    }
    if (layout.isCoord(token)) {
      return String.format(java.util.Locale.ROOT, "<%.3f>", coordValue(token));
    }
    if (layout.isClass(token)) {
      Category c = categoryOf(token);
      return c == null ? "<class " + (token - layout.classBase()) + ">" : "<" + c.name() + ">";
    }
    if (token >= layout.textBase() && token < size()) {
      return "'" + text.decode(new int[] {token - layout.textBase()}) + "'";
    }
    return "<" + token + ">";
  }

  /** Writes {@code vocab.json} (layout and categories) and {@code tokenizer.json} into dir. */
  public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    ConfigIO.write(dir.resolve(VOCAB_FILE), new VocabFile(layout, categories));
    text.save(dir.resolve(TOKENIZER_FILE));
  }

  /**
   * Reads {@code vocab.json} from dir, with the given text tokenizer (read from the same dir's
   * {@code tokenizer.json} by the caller).
   */
  public static Vocabulary read(Path dir, TextTokenizer text) throws ConfigException {
    Path file = dir.resolve(VOCAB_FILE);
    ObjectMapper m = ConfigIO.mapper();
    try {
      VocabFile v = m.readValue(file.toFile(), VocabFile.class);
      return new Vocabulary(v.layout(), v.categories(), text);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException(file + ": not a valid vocabulary file: " + e.getMessage(), e);
    }
  }

  /**
   * Reads what {@link #save} wrote: {@code vocab.json} and {@code tokenizer.json} from dir, the
   * tokenizer opened by {@link TextTokenizers#load}. When that gives a {@link
   * HuggingFaceTextTokenizer}, the caller owns it and closes it through {@code textTokenizer()}.
   *
   * @throws ConfigException when either file is missing or invalid; the message names the file
   */
  public static Vocabulary load(Path dir) throws ConfigException {
    TextTokenizer text = TextTokenizers.load(dir.resolve(TOKENIZER_FILE));
    try {
      return read(dir, text);
    } catch (ConfigException | RuntimeException e) {
      if (text instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  /** The on-disk form of {@code vocab.json}. */
  record VocabFile(VocabLayout layout, List<Category> categories) {
    @JsonCreator
    VocabFile(
        @JsonProperty("layout") VocabLayout layout,
        @JsonProperty("categories") List<Category> categories) {
      this.layout = layout;
      this.categories = categories == null ? List.of() : categories;
    }
  }
}
