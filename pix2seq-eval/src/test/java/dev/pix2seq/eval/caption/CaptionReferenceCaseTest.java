package dev.pix2seq.eval.caption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.pix2seq.data.coco.CocoCaption;
import dev.pix2seq.data.coco.CocoDataset;
import dev.pix2seq.data.coco.CocoReader;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The captions_small reference case: every number the COCO caption toolkit printed
 * (corpus and per-image BLEU, BLEU counts, corpus and per-image CIDEr-D) reproduced.
 */
class CaptionReferenceCaseTest {
  /** The issue asks for 1e-6; the implementation follows the toolkit's arithmetic. */
  private static final double TOLERANCE = 1e-12;

  private static Path dir;
  private static JsonNode expected;
  private static CaptionEvaluation evaluation;

  @BeforeAll
  static void evaluate() throws Exception {
    dir = resource("/reference/captions/captions_small");
    expected = JsonMapper.builder().build().readTree(dir.resolve("expected.json").toFile())
        .get("coco_caption");
    evaluation = CaptionEvaluator.builder().build()
        .evaluate(dir.resolve("captions_gt.json"), dir.resolve("captions_results.json"));
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(CaptionReferenceCaseTest.class.getResource(name).toURI());
  }

  private static void assertClose(double want, double got, String what) {
    assertEquals(want, got, TOLERANCE, what + ": expected " + want + ", found " + got);
  }

  @Test
  void corpusBleuMatchesTheToolkit() {
    for (int n = 1; n <= 4; n++) {
      assertClose(expected.get("bleu").get(n - 1).doubleValue(), evaluation.bleu().bleu(n),
          "corpus BLEU-" + n);
    }
  }

  @Test
  void bleuCountsMatchTheToolkit() {
    JsonNode totals = expected.get("bleu_totals");
    BleuCounts counts = evaluation.bleuCounts();
    assertEquals(totals.get("testlen").longValue(), counts.candidateLength());
    assertEquals(totals.get("reflen").longValue(), counts.referenceLength());
    for (int k = 0; k < 4; k++) {
      assertEquals(totals.get("guess").get(k).longValue(), counts.guess().get(k));
      assertEquals(totals.get("correct").get(k).longValue(), counts.correct().get(k));
    }
  }

  @Test
  void perImageBleuMatchesTheToolkit() {
    JsonNode perImage = expected.get("bleu_per_image");
    assertEquals(perImage.size(), evaluation.imageCount());
    perImage.fields().forEachRemaining(e -> {
      long id = Long.parseLong(e.getKey());
      BleuScore got = evaluation.perImage().get(id).bleu();
      for (int n = 1; n <= 4; n++) {
        assertClose(e.getValue().get(n - 1).doubleValue(), got.bleu(n),
            "image " + id + " BLEU-" + n);
      }
    });
  }

  @Test
  void ciderDMatchesTheToolkit() {
    assertClose(expected.get("cider").doubleValue(), evaluation.ciderD(), "corpus CIDEr-D");
    expected.get("cider_per_image").fields().forEachRemaining(e -> {
      long id = Long.parseLong(e.getKey());
      assertClose(e.getValue().doubleValue(), evaluation.perImage().get(id).ciderD(),
          "image " + id + " CIDEr-D");
    });
  }

  /** The manifest's edge cases, images 900 to 904, each for the reason it is there. */
  @Test
  void edgeCasesBehaveAsTheToolkits() {
    ImageCaptionScores identical = evaluation.perImage().get(900L);
    assertTrue(identical.bleu().bleu1() < 1.0, "the guards keep an identical caption below 1");
    assertEquals(identical.bleuCounts().guess(), identical.bleuCounts().correct());

    BleuCounts oneWord = evaluation.perImage().get(901L).bleuCounts();
    assertEquals(1, oneWord.candidateLength());
    double ratio = (1 + 1e-15) / (oneWord.referenceLength() + 1e-9);
    assertClose(Math.exp(1 - 1 / ratio) * (1 + 1e-15) / (1 + 1e-9),
        evaluation.perImage().get(901L).bleu().bleu1(), "901: brevity penalty of one word");

    ImageCaptionScores empty = evaluation.perImage().get(902L);
    assertEquals(0, empty.bleuCounts().candidateLength());
    assertEquals(new BleuScore(0, 0, 0, 0), empty.bleu());
    assertEquals(0.0, empty.ciderD());

    ImageCaptionScores overLong = evaluation.perImage().get(903L);
    BleuCounts c = overLong.bleuCounts();
    assertTrue(c.candidateLength() > c.referenceLength());
    assertClose((c.correct().get(0) + 1e-15) / (c.guess().get(0) + 1e-9),
        overLong.bleu().bleu1(), "903: no brevity penalty");

    BleuCounts tie = evaluation.perImage().get(904L).bleuCounts();
    assertEquals(9, tie.candidateLength());
    assertEquals(8, tie.referenceLength(), "refs of 8 and 10 tokens: the shorter wins the tie");
  }

  @Test
  void imagesAreEvaluatedInGroundTruthOrder() {
    List<Long> order = new ArrayList<>();
    expected.get("image_order").forEach(n -> order.add(n.longValue()));
    assertEquals(order, List.copyOf(evaluation.perImage().keySet()));
    assertTrue(evaluation.imagesWithoutResult().isEmpty());
  }

  @Test
  void metricsMapHasTheCliKeysInOrder() {
    Map<String, Double> m = evaluation.metrics();
    assertEquals(List.of("BLEU-1", "BLEU-2", "BLEU-3", "BLEU-4", "CIDEr-D"),
        List.copyOf(m.keySet()));
    assertEquals(evaluation.bleu().bleu4(), m.get("BLEU-4"));
    assertEquals(evaluation.ciderD(), m.get("CIDEr-D"));
    assertEquals(evaluation.perImage().get(901L).ciderD(),
        evaluation.perImageMetrics().get(901L).get("CIDEr-D"));
  }

  /** The case was scored on {@code caption.split()}; our PTB tokenisation agrees on it. */
  @Test
  void ptbTokenisationOfTheCaseIsTheWhitespaceSplit() throws Exception {
    CocoDataset gt = new CocoReader().readCaptions(dir.resolve("captions_gt.json")).dataset();
    List<GeneratedCaption> results =
        new CaptionResultsReader().read(dir.resolve("captions_results.json"));
    List<String> texts = new ArrayList<>();
    gt.captions().stream().map(CocoCaption::caption).forEach(texts::add);
    results.stream().map(GeneratedCaption::caption).forEach(texts::add);
    CaptionTokenizer ptb = CaptionTokenizer.ptb();
    for (String t : texts) {
      assertEquals(CaptionTokenizer.whitespace().tokenize(t), ptb.tokenize(t), t);
    }
  }

  /** The textbook values (no epsilons) and NLTK's differ; we are the toolkit's, not theirs. */
  @Test
  void differsFromNltkAndTextbookBleuAsTheToolkitDoes() {
    JsonNode root = expected;
    assertTrue(Math.abs(evaluation.bleu().bleu1() - 0.7424242424242424) > 1e-3,
        "NLTK's corpus BLEU-1 uses another reference length");
    // The textbook value differs from the toolkit's only through the 1e-15 / 1e-9 guards.
    double textbook = 0.7480916030534351;
    double toolkit = root.get("bleu").get(0).doubleValue();
    assertTrue(Math.abs(textbook - toolkit) > 1e-12);
    assertTrue(Math.abs(evaluation.bleu().bleu1() - toolkit)
        < Math.abs(evaluation.bleu().bleu1() - textbook));
  }
}
