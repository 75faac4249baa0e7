package dev.pix2seq.eval.caption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.DatasetException;
import dev.pix2seq.data.coco.CocoCaption;
import dev.pix2seq.data.coco.CocoDataset;
import dev.pix2seq.data.coco.CocoImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptionEvaluatorTest {
  @TempDir Path dir;

  /** Images 1..4; image 4 has no captions. */
  private static CocoDataset groundTruth() {
    return new CocoDataset(
        List.of(image(1), image(2), image(3), image(4)),
        List.of(), List.of(),
        List.of(new CocoCaption(10, 1, "A dog on a couch."),
            new CocoCaption(11, 1, "A brown dog lying on a sofa."),
            new CocoCaption(12, 2, "Two cats sleeping on a bed."),
            new CocoCaption(13, 3, "A man riding a red bike."),
            new CocoCaption(14, 3, "A person on a bicycle in the street.")));
  }

  private static CocoImage image(long id) {
    return new CocoImage(id, id + ".jpg", 640, 480);
  }

  private static List<GeneratedCaption> allResults() {
    return List.of(new GeneratedCaption(1, "a dog on a sofa"),
        new GeneratedCaption(2, "two cats on a bed"),
        new GeneratedCaption(3, "a man riding a bike"));
  }

  private final CaptionEvaluator evaluator = CaptionEvaluator.builder().build();

  @Test
  void evaluatesTheImagesWithResultsInGroundTruthOrder() throws DatasetException {
    List<GeneratedCaption> reversed = List.of(allResults().get(2), allResults().get(0));
    CaptionEvaluation e = evaluator.evaluate(groundTruth(), reversed, "res.json");
    assertEquals(List.of(1L, 3L), List.copyOf(e.perImage().keySet()));
    assertEquals(List.of(2L), e.imagesWithoutResult());
    assertEquals(2, e.imageCount());
  }

  @Test
  void referencesAndCandidatesAreTokenisedLikeTheToolkit() throws DatasetException {
    CaptionEvaluation ptb = evaluator.evaluate(groundTruth(),
        List.of(new GeneratedCaption(1, "A DOG ON A COUCH!")), "res.json");
    // "a dog on a couch" against its own reference: an identical candidate
    assertTrue(ptb.perImage().get(1L).bleu().bleu4() > 0.999999);
    CaptionEvaluation raw = CaptionEvaluator.builder()
        .optTokenizer(CaptionTokenizer.whitespace()).build()
        .evaluate(groundTruth(), List.of(new GeneratedCaption(1, "A DOG ON A COUCH!")), "r");
    // raw tokens A DOG ON A COUCH! against A dog on a couch. share only "A": 1 of 5
    assertEquals(0.2, raw.perImage().get(1L).bleu().bleu1(), 1e-6);
  }

  @Test
  void scoreAsEmptyPolicyScoresMissingImagesZeroAndLowersTheCorpus() throws DatasetException {
    List<GeneratedCaption> partial = allResults().subList(0, 2);
    CaptionEvaluation skip = evaluator.evaluate(groundTruth(), partial, "r");
    CaptionEvaluation empty = CaptionEvaluator.builder()
        .optMissingResultPolicy(MissingResultPolicy.SCORE_AS_EMPTY).build()
        .evaluate(groundTruth(), partial, "r");
    assertEquals(List.of(1L, 2L), List.copyOf(skip.perImage().keySet()));
    assertEquals(List.of(1L, 2L, 3L), List.copyOf(empty.perImage().keySet()));
    assertEquals(List.of(3L), empty.imagesWithoutResult());
    assertEquals(0.0, empty.perImage().get(3L).ciderD());
    assertEquals(new BleuScore(0, 0, 0, 0), empty.perImage().get(3L).bleu());
    assertTrue(empty.bleu().bleu1() < skip.bleu().bleu1());
    assertNotEquals(skip.perImage().get(1L).ciderD(), empty.perImage().get(1L).ciderD(),
        "document frequencies come from the evaluated images");
  }

  @Test
  void failPolicyNamesTheImagesWithoutResult() {
    CaptionEvaluator strict = CaptionEvaluator.builder()
        .optMissingResultPolicy(MissingResultPolicy.FAIL).build();
    DatasetException e = assertThrows(DatasetException.class,
        () -> strict.evaluate(groundTruth(), allResults().subList(1, 2), "res.json"));
    assertEquals("res.json: expected a result for every image with reference captions, found "
        + "none for 2 image(s) (ids 1, 3)", e.getMessage());
  }

  @Test
  void unknownImageIdNamesTheEntry() {
    List<GeneratedCaption> bad = List.of(allResults().get(0), new GeneratedCaption(99, "x"));
    DatasetException e = assertThrows(DatasetException.class,
        () -> evaluator.evaluate(groundTruth(), bad, "res.json"));
    assertEquals("res.json: [1].image_id: expected an image id of the ground truth, found 99, "
        + "which is not there", e.getMessage());
  }

  @Test
  void duplicateImageIdNamesBothEntries() {
    List<GeneratedCaption> bad = List.of(allResults().get(0), allResults().get(1),
        new GeneratedCaption(1, "again"));
    DatasetException e = assertThrows(DatasetException.class,
        () -> evaluator.evaluate(groundTruth(), bad, "res.json"));
    assertEquals("res.json: [2].image_id: expected one result per image, found image id 1 "
        + "again (first at [0])", e.getMessage());
  }

  @Test
  void resultForAnImageWithoutReferencesIsAnError() {
    DatasetException e = assertThrows(DatasetException.class, () -> evaluator.evaluate(
        groundTruth(), List.of(new GeneratedCaption(4, "a cat")), "res.json"));
    assertEquals("res.json: [0].image_id: image 4 has no reference captions in the ground "
        + "truth; BLEU and CIDEr-D need at least one", e.getMessage());
  }

  @Test
  void emptyResultsAreAnErrorUnlessMissingImagesAreScored() throws DatasetException {
    DatasetException e = assertThrows(DatasetException.class,
        () -> evaluator.evaluate(groundTruth(), List.of(), "res.json"));
    assertEquals("res.json: expected at least one caption result, found an empty list",
        e.getMessage());
    CaptionEvaluation zero = CaptionEvaluator.builder()
        .optMissingResultPolicy(MissingResultPolicy.SCORE_AS_EMPTY).build()
        .evaluate(groundTruth(), List.of(), "res.json");
    assertEquals(0.0, zero.ciderD());
    assertEquals(0.0, zero.bleu().bleu1());
  }

  @Test
  void evaluatesFilesAndReportsBadResultsByFileEntryAndField() throws Exception {
    Path gt = dir.resolve("gt.json");
    Files.writeString(gt, """
        {"images": [{"id": 1, "file_name": "1.jpg", "width": 4, "height": 3},
                    {"id": 2, "file_name": "2.jpg", "width": 4, "height": 3}],
         "annotations": [{"id": 1, "image_id": 1, "caption": "a red bus"},
                         {"id": 2, "image_id": 2, "caption": "a green tree"}]}
        """);
    Path res = write("res.json",
        "[{\"image_id\": 1, \"caption\": \"A red bus.\", \"score\": 0.5},"
            + " {\"image_id\": 2, \"caption\": \"a tree\"}]");
    CaptionEvaluation e = evaluator.evaluate(gt, res);
    assertEquals(List.of(1L, 2L), List.copyOf(e.perImage().keySet()));
    assertTrue(e.perImage().get(1L).bleu().bleu3() > 0.999999);

    Path unknown = write("unknown.json", "[{\"image_id\": 7, \"caption\": \"x\"}]");
    DatasetException ex = assertThrows(DatasetException.class,
        () -> evaluator.evaluate(gt, unknown));
    assertTrue(ex.getMessage().startsWith(unknown + ": [0].image_id: expected an image id"),
        ex.getMessage());
  }

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }
}
