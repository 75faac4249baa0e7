package dev.pix2seq.official;

import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.ConfigException;
import dev.pix2seq.api.Pix2seqException;
import dev.pix2seq.api.checkpoint.NamedTensor;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.vocab.VocabLayout;
import dev.pix2seq.official.bundle.BundleEntry;
import dev.pix2seq.official.bundle.TensorBundleReader;
import dev.pix2seq.official.bundle.TfDataType;
import dev.pix2seq.runtime.checkpoint.Checkpoint;
import dev.pix2seq.runtime.checkpoint.CheckpointManifest;
import dev.pix2seq.runtime.checkpoint.Provenance;
import dev.pix2seq.tokenizer.NoTextTokenizer;
import dev.pix2seq.tokenizer.TextTokenizer;
import dev.pix2seq.tokenizer.Vocabulary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns an official Pix2seq checkpoint (TF2 tensor bundle, {@code ckpt-N.index} plus data
 * shards) into a pix2seq-java checkpoint directory that every backend and command loads. Every
 * model variable is mapped to one of our parameters ({@link ReleasedLayout}) with its shape
 * checked; optimizer slots and counters are skipped; anything left over or missing fails the
 * import with one message that names the variables. Nothing is written until every check has
 * passed, and the output directory is replaced atomically.
 *
 * <pre>{@code
 * OfficialImport.Result r = OfficialImport.builder()
 *     .setCheckpoint(Path.of("vit_b_640x640/ckpt-112728"))
 *     .setRunConfig(OfficialVariant.MULTITASK_VIT_B_640.runConfig())
 *     .optTextTokenizer(SentencePieceTokenizer.open(Path.of("c4_en_32k_spm.model")))
 *     .build()
 *     .writeTo(Path.of("runs/vit-b-640"));
 * }</pre>
 */
public final class OfficialImport {

  /** How many names a message lists before it says how many more there are. */
  private static final int LISTED_NAMES = 12;

  private final Path checkpoint;
  private final OfficialRunConfig runConfig;
  private final TextTokenizer textTokenizer;
  private final List<Category> categories;

  private OfficialImport(Builder b) {
    this.checkpoint = b.checkpoint;
    this.runConfig = b.runConfig;
    this.textTokenizer = b.textTokenizer;
    this.categories = b.categories;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * What an import wrote.
   *
   * @param dir the checkpoint directory
   * @param model the network read from the checkpoint
   * @param vocabSize its vocabulary size
   * @param parameters the number of parameter values
   * @param variables the number of official model variables mapped
   * @param skipped the keys that are not model variables (optimizer state, counters, graph)
   * @param step the checkpoint's {@code global_step}, or -1 when it has none
   */
  public record Result(Path dir, ModelConfig model, int vocabSize, long parameters,
      int variables, int skipped, long step) {}

  /**
   * Reads, checks and converts the checkpoint, then writes the directory {@code out} (replaced
   * as a whole; a non-empty directory that holds no checkpoint is never replaced).
   *
   * @throws CheckpointException naming the file or variables when the checkpoint cannot be read
   *     or does not match the official network, or when {@code out} cannot be written
   * @throws ConfigException when the vocabulary cannot be formed (for example a text tokenizer of
   *     the wrong size)
   */
  public Result writeTo(Path out) throws Pix2seqException {
    Objects.requireNonNull(out, "out");
    try (TensorBundleReader bundle = TensorBundleReader.open(checkpoint)) {
      String source = checkpoint.toString();
      Map<String, int[]> shapes = new TreeMap<>();
      Map<String, BundleEntry> entries = new LinkedHashMap<>();
      int skipped = 0;
      for (BundleEntry e : bundle.entries()) {
        if (ReleasedLayout.isModelVariable(e.name())) {
          String name = ReleasedLayout.variableName(e.name());
          shapes.put(name, e.intShape());
          entries.put(name, e);
        } else {
          skipped++;
        }
      }
      if (shapes.isEmpty()) {
        throw new CheckpointException(source + ": holds no model variable (no key under 'model/'"
            + " ending in " + ReleasedLayout.VALUE_SUFFIX + "); not an official Pix2seq"
            + " checkpoint");
      }
      ModelConfig config = OfficialArchitecture.fromShapes(shapes, runConfig.imageSize(), source);
      int vocabSize = OfficialArchitecture.vocabSize(shapes, source);
      checkSizes(config, vocabSize, source);
      List<VariableMapping> mappings = ReleasedLayout.mappings(config, vocabSize);
      checkMatches(mappings, shapes, entries, source);
      Vocabulary vocabulary = vocabulary(vocabSize, source);
      long step = globalStep(bundle);
      List<NamedTensor> weights = new ArrayList<>(mappings.size());
      long values = 0;
      for (VariableMapping m : mappings) {
        List<float[]> sources = new ArrayList<>(m.keys().size());
        for (String key : m.keys()) {
          sources.add(bundle.readFloats(key + ReleasedLayout.VALUE_SUFFIX));
        }
        float[] ours = m.conversion().toOurs(sources, m.keyShapes());
        weights.add(new NamedTensor(m.parameter(), m.shape(), ours));
        values += ours.length;
      }
      CheckpointManifest manifest = new CheckpointManifest(
          CheckpointManifest.CURRENT_FORMAT_VERSION, config, vocabSize, vocabulary.layout(),
          vocabulary.categories(), new ArrayList<>(runConfig.taskTokens().keySet()), Map.of(),
          Provenance.now("official-import", Math.max(step, 0)));
      Checkpoint.save(out, weights, vocabulary, manifest);
      return new Result(out, config, vocabSize, values, shapes.size(), skipped, step);
    }
  }

  /** The config.json's sizes, where given, must be the checkpoint's. */
  private void checkSizes(ModelConfig c, int vocabSize, String source)
      throws CheckpointException {
    Map<String, Integer> fromCheckpoint = new LinkedHashMap<>();
    fromCheckpoint.put("patch_size", c.patchSize());
    fromCheckpoint.put("num_encoder_layers", c.encoderLayers());
    fromCheckpoint.put("dim_att", c.encoderWidth());
    fromCheckpoint.put("dim_mlp", c.encoderMlp());
    fromCheckpoint.put("num_heads", c.encoderHeads());
    fromCheckpoint.put("num_decoder_layers", c.decoderLayers());
    fromCheckpoint.put("dim_att_dec", c.decoderWidth());
    fromCheckpoint.put("dim_mlp_dec", c.decoderMlp());
    fromCheckpoint.put("num_heads_dec", c.decoderHeads());
    fromCheckpoint.put("max_seq_len", c.maxSequenceLength());
    fromCheckpoint.put("vocab_size", vocabSize);
    List<String> differences = new ArrayList<>();
    for (Map.Entry<String, Integer> e : runConfig.modelSizes().entrySet()) {
      Integer actual = fromCheckpoint.get(e.getKey());
      if (actual != null && !actual.equals(e.getValue())) {
        differences.add("model." + e.getKey() + " is " + e.getValue() + " in the config, "
            + actual + " in the checkpoint");
      }
    }
    if (!differences.isEmpty()) {
      throw new CheckpointException(source + ": the checkpoint is of another architecture or "
          + "size than its config or variant: " + String.join("; ", differences));
    }
  }

  private static void checkMatches(List<VariableMapping> mappings, Map<String, int[]> shapes,
      Map<String, BundleEntry> entries, String source) throws CheckpointException {
    Set<String> unused = new LinkedHashSet<>(shapes.keySet());
    List<String> missing = new ArrayList<>();
    List<String> wrongShape = new ArrayList<>();
    for (VariableMapping m : mappings) {
      for (int i = 0; i < m.keys().size(); i++) {
        String key = m.keys().get(i);
        unused.remove(key);
        int[] actual = shapes.get(key);
        if (actual == null) {
          missing.add(key + " " + Arrays.toString(m.keyShape(i)));
        } else if (!Arrays.equals(actual, m.keyShape(i))) {
          wrongShape.add(key + " is " + Arrays.toString(actual) + ", expected "
              + Arrays.toString(m.keyShape(i)));
        } else if (entries.get(key).dtype() != TfDataType.FLOAT) {
          wrongShape.add(key + " is " + entries.get(key).dtypeName() + ", expected DT_FLOAT");
        }
      }
    }
    if (missing.isEmpty() && wrongShape.isEmpty() && unused.isEmpty()) {
      return;
    }
    StringBuilder b = new StringBuilder(source).append(": the checkpoint does not match the "
        + "official ViT encoder_ar_decoder network of its own sizes:");
    list(b, "missing", missing);
    list(b, "wrong shape or type", wrongShape);
    list(b, "unused (not part of that network)", new ArrayList<>(unused));
    throw new CheckpointException(b.toString());
  }

  private static void list(StringBuilder b, String what, List<String> names) {
    if (names.isEmpty()) {
      return;
    }
    b.append(' ').append(what).append(" (").append(names.size()).append("): ");
    b.append(String.join(", ", names.subList(0, Math.min(LISTED_NAMES, names.size()))));
    if (names.size() > LISTED_NAMES) {
      b.append(", ... (").append(names.size() - LISTED_NAMES).append(" more)");
    }
    b.append(';');
  }

  private Vocabulary vocabulary(int vocabSize, String source) throws Pix2seqException {
    OfficialRunConfig rc = runConfig;
    VocabLayout layout;
    try {
      layout = new VocabLayout(VocabLayout.CURRENT_VERSION, 0, 1, 10, 20, rc.taskTokens(), 30,
          40, 41, 100, rc.coordShift() - 100, rc.coordShift(), rc.coordBins(), rc.textShift());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(source + ": the official vocabulary offsets do not form a "
          + "layout: " + e.getMessage(), e);
    }
    int textTokens = vocabSize - rc.textShift();
    if (textTokens < 0) {
      throw new CheckpointException(source + ": the vocabulary has " + vocabSize
          + " tokens, fewer than the text range's start " + rc.textShift()
          + " (model.text_vocab_shift)");
    }
    TextTokenizer text = textTokens == 0 && textTokenizer == null
        ? NoTextTokenizer.INSTANCE : textTokenizer;
    if (text == null) {
      throw new ConfigException(source + ": the checkpoint has " + textTokens + " text tokens ("
          + rc.textShift() + " to " + (vocabSize - 1) + "): give the sentencepiece model its"
          + " captions were trained with (--sentencepiece FILE)");
    }
    if (text.size() != textTokens) {
      throw new ConfigException(source + ": the text tokenizer has " + text.size()
          + " tokens but the checkpoint's vocabulary has " + textTokens + " text tokens ("
          + vocabSize + " - " + rc.textShift() + ")");
    }
    try {
      return new Vocabulary(layout, classTokenOrder(categories), text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(source + ": cannot form the vocabulary: " + e.getMessage(), e);
    }
  }

  /**
   * The categories with class token {@code 100 + id}, as the official code assigns them: our
   * vocabulary gives the {@code i}-th category token {@code 100 + i}, so ids without a category
   * (COCO leaves gaps) are filled with a placeholder named {@code unused-<id>}.
   */
  static List<Category> classTokenOrder(List<Category> categories) {
    TreeMap<Integer, Category> byId = new TreeMap<>();
    for (Category c : categories) {
      if (c.id() < 0) {
        throw new IllegalArgumentException(
            "category " + c.name() + " has id " + c.id() + "; official class tokens need ids >= 0");
      }
      byId.put(c.id(), c);
    }
    int maxId = byId.isEmpty() ? -1 : byId.lastKey();
    List<Category> out = new ArrayList<>(maxId + 1);
    for (int id = 0; id <= maxId; id++) {
      Category c = byId.get(id);
      out.add(c != null ? c : Category.of(id, "unused-" + id));
    }
    return out;
  }

  private static long globalStep(TensorBundleReader bundle) throws CheckpointException {
    for (BundleEntry e : bundle.entries()) {
      if (e.name().equals("global_step" + ReleasedLayout.VALUE_SUFFIX)
          && e.numElements() == 1
          && (e.dtype() == TfDataType.INT64 || e.dtype() == TfDataType.INT32)) {
        return bundle.readLongs(e.name())[0];
      }
    }
    return -1;
  }

  /** Builds an {@link OfficialImport}: {@code set*} for required values, {@code opt*} for others. */
  public static final class Builder {
    private Path checkpoint;
    private OfficialRunConfig runConfig;
    private TextTokenizer textTokenizer;
    private List<Category> categories = CocoCategories.coco2017();

    private Builder() {}

    /** The checkpoint prefix ({@code .../ckpt-N}, the part before {@code .index}). */
    public Builder setCheckpoint(Path prefix) {
      this.checkpoint = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /** The run's settings: from its {@code config.json} or from an {@link OfficialVariant}. */
    public Builder setRunConfig(OfficialRunConfig config) {
      this.runConfig = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * The caption tokenizer (the official sentencepiece model); required when the checkpoint has
     * text tokens, and none is needed for a vocabulary without text (detection only).
     */
    public Builder optTextTokenizer(TextTokenizer tokenizer) {
      this.textTokenizer = tokenizer;
      return this;
    }

    /** The dataset's categories by id (class token {@code 100 + id}); COCO 2017's by default. */
    public Builder optCategories(List<Category> categories) {
      this.categories = List.copyOf(categories);
      return this;
    }

    /**
     * The import.
     *
     * @throws IllegalStateException if the checkpoint or the run config is not set
     */
    public OfficialImport build() {
      if (checkpoint == null || runConfig == null) {
        throw new IllegalStateException("an import needs a checkpoint and a run config");
      }
      return new OfficialImport(this);
    }
  }
}
