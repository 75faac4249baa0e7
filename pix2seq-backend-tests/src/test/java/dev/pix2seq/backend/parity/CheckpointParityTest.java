package dev.pix2seq.backend.parity;

import static dev.pix2seq.backend.contract.ContractFixtures.EOS;
import static dev.pix2seq.backend.contract.ContractFixtures.images;
import static dev.pix2seq.backend.contract.ContractFixtures.maxAbsDiff;
import static dev.pix2seq.backend.contract.ContractFixtures.tokens;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.checkpoint.NamedTensor;
import dev.pix2seq.api.checkpoint.SafeTensors;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.generation.GenerationRequest;
import dev.pix2seq.api.generation.SequenceGenerator;
import dev.pix2seq.api.model.Backend;
import dev.pix2seq.api.model.DecodingSession;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.sampling.SamplerSpec;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.api.value.TokenSequence;
import dev.pix2seq.backend.Engines;
import dev.pix2seq.backend.contract.ContractFixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One checkpoint, two engines (DESIGN.md section 6): weights created by one backend and saved
 * load in the other and give the same logits (within {@value #LOGIT_TOLERANCE}) on the same
 * images and tokens, through both the full pass and a decoding session, and the same greedy
 * responses under a constraint; the loading engine writes the same tensors back. Runs for small
 * architectures of every shape the network has (with and without the convolutional stem, stems
 * of 0 to 3 stages, different encoder and decoder widths and head counts) and for the {@code
 * tiny} and {@code demo} presets; larger presets on request: {@code
 * -Dpix2seq.parity.largePresets=small,base} (minutes each on two cores).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckpointParityTest {

  private static final float LOGIT_TOLERANCE = 1e-4f;

  /** System property naming presets too large for the default run. */
  static final String LARGE_PRESETS = "pix2seq.parity.largePresets";

  /** Tensor and value counts of a preset with 4096 tokens, as the format page lists them. */
  private record DocumentedSize(int tensors, long values) {}

  private static final Map<String, DocumentedSize> DOCUMENTED_SIZES = Map.of(
      "tiny", new DocumentedSize(91, 1_701_024L),
      "demo", new DocumentedSize(103, 2_389_344L),
      "small", new DocumentedSize(245, 27_613_568L),
      "base", new DocumentedSize(285, 115_732_224L));

  private final Engines engines = new Engines();
  private final Map<String, Float> measured = new TreeMap<>();

  @AfterAll
  void reportDifferences() {
    measured.forEach((what, diff) ->
        System.out.printf("parity max |logit difference| %-50s %.3e%n", what, diff));
  }

  Stream<ParityCase> architectures() {
    return Stream.of(
        ParityCase.of("patch8 w32h2 1+1", 32, 8, false, 1, 32, 2, 1, 32, 2, 1e-6, 1),
        ParityCase.of("stem8 w32h2 2+2", 32, 8, true, 2, 32, 2, 2, 32, 2, 1e-6, 2),
        ParityCase.of("patch4 w48h4 2+1 eps1e-5", 32, 4, false, 2, 48, 4, 1, 48, 4, 1e-5, 3),
        ParityCase.of("stem16 enc-w64h8 dec-w40h5 1+2", 64, 16, true, 1, 64, 8, 2, 40, 5, 1e-6,
            4),
        ParityCase.of("stem12 enc-w40h5 dec-w36h3 1+1", 48, 12, true, 1, 40, 5, 1, 36, 3, 1e-6,
            5),
        ParityCase.of("stem4 enc-w16h4 dec-w24h2 1+1", 16, 4, true, 1, 16, 4, 1, 24, 2, 1e-6, 6),
        ParityCase.of("stem2(no stage) w16h2 1+1", 8, 2, true, 1, 16, 2, 1, 16, 2, 1e-6, 7),
        ParityCase.preset("tiny", 8),
        ParityCase.preset("demo", 9));
  }

  Stream<Arguments> architecturesBothWays() {
    return architectures().flatMap(c -> EnginePair.BOTH_WAYS.stream().map(p -> Arguments.of(c, p)));
  }

  /** The presets named by {@value #LARGE_PRESETS}, comma-separated (e.g. {@code small,base}). */
  Stream<Arguments> largePresetsBothWays() {
    return Arrays.stream(System.getProperty(LARGE_PRESETS, "").split(","))
        .map(String::strip)
        .filter(name -> !name.isEmpty())
        .map(name -> ParityCase.preset(name, 10))
        .flatMap(c -> EnginePair.BOTH_WAYS.stream().map(p -> Arguments.of(c, p)));
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("architecturesBothWays")
  void checkpointGivesTheSameLogitsAndResponsesInTheOtherEngine(ParityCase c, EnginePair pair,
      @TempDir Path dir) throws CheckpointException {
    checkParity(c, pair, dir);
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("largePresetsBothWays")
  @EnabledIfSystemProperty(named = LARGE_PRESETS, matches = ".*\\w.*")
  void largePresetCheckpointGivesTheSameLogitsInTheOtherEngine(ParityCase c, EnginePair pair,
      @TempDir Path dir) throws CheckpointException {
    checkParity(c, pair, dir);
  }

  private void checkParity(ParityCase c, EnginePair pair, Path dir) throws CheckpointException {
    Backend sourceEngine = engines.require(pair.source());
    Backend targetEngine = engines.require(pair.target());
    ModelConfig config = c.config();
    long seed = pair.seed(c.seed());
    List<ImageTensor> images = images(2, config.imageSize(), seed);
    int[] imageOfRow = {0, 1, 1};
    int[][] tokens = tokens(imageOfRow.length, 6, c.vocab(), seed + 1);
    Path written = dir.resolve("written");
    Path rewritten = dir.resolve("rewritten");
    try (Pix2seqModel source = sourceEngine.create(config, c.vocab(), Device.CPU, seed)) {
      source.saveWeights(written);
      try (Pix2seqModel target = targetEngine.load(written, config, c.vocab(), Device.CPU);
          ImageFeatures sourceFeatures = source.encoder().encode(images);
          ImageFeatures targetFeatures = target.encoder().encode(images)) {
        float[][][] expected = source.decoder().logits(sourceFeatures, imageOfRow, tokens);
        float[][][] actual = target.decoder().logits(targetFeatures, imageOfRow, tokens);
        float diff = maxAbsDiff(expected, actual);
        measured.put(c + ", " + pair, diff);
        assertTrue(diff < LOGIT_TOLERANCE, c + ", " + pair + ": logits differ by " + diff);

        try (DecodingSession a = source.decoder().open(sourceFeatures, imageOfRow);
            DecodingSession b = target.decoder().open(targetFeatures, imageOfRow)) {
          float[][] la = a.feed(tokens);
          float[][] lb = b.feed(tokens);
          for (int r = 0; r < imageOfRow.length; r++) {
            float rowDiff = maxAbsDiff(la[r], lb[r]);
            assertTrue(rowDiff < LOGIT_TOLERANCE,
                c + ", " + pair + ": session row " + r + " differs by " + rowDiff);
          }
        }

        List<GenerationRequest> requests = List.of(
            new GenerationRequest(0, new int[] {2, 3}, ContractFixtures.grammar(), 10),
            new GenerationRequest(1, new int[] {4}, ContractFixtures.grammar(), 10),
            new GenerationRequest(1, new int[] {5, 6, 7}, ContractFixtures.anyToken(c.vocab()),
                10));
        List<TokenSequence> fromSource = new SequenceGenerator(source.decoder(), EOS)
            .generate(sourceFeatures, requests, SamplerSpec.greedy(), new SplittableRandom(1));
        List<TokenSequence> fromTarget = new SequenceGenerator(target.decoder(), EOS)
            .generate(targetFeatures, requests, SamplerSpec.greedy(), new SplittableRandom(1));
        for (int i = 0; i < requests.size(); i++) {
          assertArrayEquals(fromSource.get(i).tokens(), fromTarget.get(i).tokens(),
              c + ", " + pair + ": greedy response " + i);
        }
        target.saveWeights(rewritten);
      }
    }
    assertEquals(
        SafeTensors.read(written.resolve("weights.safetensors")).tensors(),
        SafeTensors.read(rewritten.resolve("weights.safetensors")).tensors(),
        c + ", " + pair + ": the loading engine writes back exactly the tensors it read");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("architectures")
  void bothEnginesWriteTheSameTensorNamesShapesAndOrder(ParityCase c, @TempDir Path dir)
      throws CheckpointException {
    EnginePair pair = EnginePair.BOTH_WAYS.get(0);
    List<SafeTensors.Contents> files = new ArrayList<>();
    List<Backend> both = List.of(engines.require(pair.source()), engines.require(pair.target()));
    for (Backend backend : both) {
      Path out = dir.resolve(backend.name());
      try (Pix2seqModel model = backend.create(c.config(), c.vocab(), Device.CPU, c.seed())) {
        model.saveWeights(out);
      }
      files.add(SafeTensors.read(out.resolve("weights.safetensors")));
    }
    List<String> a = describe(files.get(0));
    List<String> b = describe(files.get(1));
    assertEquals(a, b, c + ": tensor names and shapes in file order, "
        + pair.source() + " vs " + pair.target());
    for (SafeTensors.Contents f : files) {
      assertEquals("pix2seq-weights-v1", f.metadata().get("pix2seq.format"));
    }
    DocumentedSize documented = DOCUMENTED_SIZES.get(c.config().preset());
    if (documented != null) {
      long values = files.get(0).tensors().values().stream().mapToLong(NamedTensor::size).sum();
      assertEquals(documented, new DocumentedSize(a.size(), values),
          c + ": sizes listed in docs/checkpoint-format.md section 3");
    }
  }


  private static List<String> describe(SafeTensors.Contents contents) {
    List<String> out = new ArrayList<>();
    for (NamedTensor t : contents.tensors().values()) {
      out.add(t.name() + Arrays.toString(t.shape()));
    }
    return out;
  }
}
