package dev.pix2seq.eval.coco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.DatasetException;
import dev.pix2seq.api.value.RleMask;
import dev.pix2seq.api.mask.RleMasks;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading results: loadRes' derived fields, and a clear error for each kind of bad entry. */
class CocoResultsReaderTest {
  @TempDir Path dir;
  private CocoGroundTruth gt;

  @BeforeEach
  void groundTruth() throws Exception {
    gt = CocoGroundTruth.read(new TinyCoco().image(4).image(7)
        .box(1, 4, 3, 10, 10, 20, 30, false).write(dir));
  }

  @Test
  void boxesGetIdsAndAreaFromTheBox() throws Exception {
    CocoResults r = read("[{\"image_id\": 4, \"category_id\": 3, \"bbox\": [1.5, 2, 10.25, 4],"
        + " \"score\": 0.9}, {\"image_id\": 7, \"category_id\": 3, \"bbox\": [0, 0, 3, 3],"
        + " \"score\": 1, \"segmentation\": {\"size\": [80, 100], \"counts\": [0, 5, 7995]}}]");
    assertEquals(CocoResults.Kind.BOXES, r.kind().orElseThrow());
    assertEquals(1, r.id(0));
    assertEquals(2, r.id(1));
    assertEquals(41.0, r.area(0), 0.0);
    assertEquals(9.0, r.area(1), 0.0, "the box decides the area even with a mask");
    assertArrayEquals(new double[] {1.5, 2, 10.25, 4}, r.bbox(0), 0.0);
  }

  @Test
  void masksGetAreaFromPixelsAndBoxFromTheMask() throws Exception {
    RleMask m = RleMasks.fromBbox(new double[] {10, 20, 30, 15}, 80, 100);
    CocoResults r = read("[{\"image_id\": 4, \"category_id\": 3, \"segmentation\": "
        + "{\"size\": [80, 100], \"counts\": "
        + PycocotoolsCase.JSON.writeValueAsString(m.toCompressed()) + "}, \"score\": 0.5}]");
    assertEquals(CocoResults.Kind.MASKS, r.kind().orElseThrow());
    assertEquals(m.area(), r.area(0), 0.0);
    assertArrayEquals(RleMasks.toBbox(m), r.bbox(0), 0.0);
  }

  @Test
  void keypointsGetBoxAndAreaFromTheirExtentIncludingUnlabeledOnes() throws Exception {
    double[] k = TinyCoco.line(20, 10, 2);
    k[0] = 5;
    k[2] = 0;
    StringBuilder s = new StringBuilder();
    for (double v : k) {
      s.append(s.length() == 0 ? "" : ",").append(v);
    }
    CocoResults r = read("[{\"image_id\": 4, \"category_id\": 1, \"keypoints\": [" + s
        + "], \"score\": 0.5}]");
    assertEquals(CocoResults.Kind.KEYPOINTS, r.kind().orElseThrow());
    assertArrayEquals(new double[] {5, 10, 15, 32}, r.bbox(0), 0.0);
    assertEquals(15 * 32, r.area(0), 0.0);
  }

  @Test
  void anEmptyListIsAllowed() throws Exception {
    CocoResults r = read("[]");
    assertEquals(0, r.size());
    assertTrue(r.kind().isEmpty());
  }

  @Test
  void unknownImage() {
    assertError("[{\"image_id\": 4, \"category_id\": 3, \"bbox\": [0,0,1,1], \"score\": 1},"
            + " {\"image_id\": 5, \"category_id\": 3, \"bbox\": [0,0,1,1], \"score\": 1}]",
        "results[1].image_id: expected the id of an image of the ground truth, found 5");
  }

  @Test
  void anUnknownCategoryIsKeptWithAWarningAndRefusedWhenStrict() throws Exception {
    String json = "[{\"image_id\": 4, \"category_id\": 3, \"bbox\": [0,0,1,1], \"score\": 1},"
        + " {\"image_id\": 4, \"category_id\": 2, \"bbox\": [0,0,1,1], \"score\": 1}]";
    CocoResults kept = read(json);
    assertEquals(2, kept.size());
    assertEquals(1, kept.warnings().size());
    assertTrue(kept.warnings().get(0).contains("1 of 2 results name categories the ground truth "
        + "lacks [2]"), kept.warnings().get(0));

    DatasetException e = assertThrows(DatasetException.class,
        () -> CocoResultsReader.read(TinyCoco.results(dir, json), gt, true));
    assertTrue(e.getMessage().contains(
        "results[1].category_id: expected the id of a category of the ground truth, found 2"),
        e.getMessage());
  }

  @Test
  void nanScore() {
    assertError("[{\"image_id\": 4, \"category_id\": 3, \"bbox\": [0,0,1,1], \"score\": 1},"
            + "{\"image_id\": 4, \"category_id\": 3, \"bbox\": [0,0,1,1], \"score\": NaN}]",
        "results[1].score: expected a finite number, found NaN");
  }

  @Test
  void missingScore() {
    assertError("[{\"image_id\": 4, \"category_id\": 3, \"bbox\": [0,0,1,1]}]",
        "results[0].score: expected a finite number, found nothing");
  }

  @Test
  void malformedCompressedRle() {
    assertError("[{\"image_id\": 4, \"category_id\": 3, \"segmentation\": {\"size\": [80, 100],"
            + " \"counts\": \"0~~\"}, \"score\": 1}]",
        "results[0].segmentation.counts: expected an RLE of size [80, 100]");
  }

  @Test
  void rleCountsThatDoNotCoverTheImage() {
    assertError("[{\"image_id\": 4, \"category_id\": 3, \"segmentation\": {\"size\": [80, 100],"
            + " \"counts\": [10, 20]}, \"score\": 1}]",
        "results[0].segmentation.counts: expected an RLE of size [80, 100]: RLE counts must sum");
  }

  @Test
  void rleOfAnotherSizeThanItsImage() {
    assertError("[{\"image_id\": 4, \"category_id\": 3, \"segmentation\": {\"size\": [8, 10],"
            + " \"counts\": [80]}, \"score\": 1}]",
        "results[0].segmentation.size: expected [80, 100] ([height, width] of image 4), found [8, 10]");
  }

  @Test
  void keypointsOfTheWrongLength() {
    assertError("[{\"image_id\": 4, \"category_id\": 1, \"keypoints\": [1, 2, 1, 3, 4, 1],"
            + " \"score\": 1}]",
        "results[0].keypoints: expected 51 numbers (x, y, v for each of the 17 keypoints of "
            + "category 1 'person'), found 6");
    assertError("[{\"image_id\": 4, \"category_id\": 1, \"keypoints\": [1, 2, 1, 3],"
            + " \"score\": 1}]", "results[0].keypoints: expected x, y, v triples, found 4");
  }

  @Test
  void theFirstEntryDecidesWhatEveryEntryNeeds() {
    assertError("[{\"image_id\": 4, \"category_id\": 3, \"bbox\": [0,0,1,1], \"score\": 1},"
            + "{\"image_id\": 4, \"category_id\": 3, \"segmentation\": {\"size\": [80, 100],"
            + " \"counts\": [8000]}, \"score\": 1}]",
        "results[1].bbox: expected a box (entry 0 has one");
    assertError("[{\"image_id\": 4, \"category_id\": 3, \"score\": 1}]",
        "results[0]: expected a bbox, a segmentation or keypoints");
  }

  @Test
  void badBoxesAndIds() {
    assertError("[{\"image_id\": 4, \"category_id\": 3, \"bbox\": [0,0,-1,1], \"score\": 1}]",
        "results[0].bbox: expected [x, y, width, height] with width, height >= 0");
    assertError("[{\"image_id\": \"4\", \"category_id\": 3, \"bbox\": [0,0,1,1], \"score\": 1}]",
        "results[0].image_id: expected an integer id, found the string \"4\"");
    assertError("[{\"image_id\": 4.5, \"category_id\": 3, \"bbox\": [0,0,1,1], \"score\": 1}]",
        "results[0].image_id: expected an integer id, found 4.5");
  }

  @Test
  void notAnArrayOrNotJson() {
    assertError("{\"annotations\": []}", "(top level): expected a JSON array of results");
    assertError("[{\"image_id\": 4,", "not valid JSON");
  }

  @Test
  void inMemoryResultsFailWithTheSameMessages() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CocoResults.of(gt, List.of(CocoDetection.ofBox(9, 3, 0.5, 0, 0, 1, 1))));
    assertTrue(e.getMessage().contains("results[0].image_id"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> CocoDetection.ofBox(4, 3, Double.NaN, 0, 0, 1, 1));
  }

  @Test
  void largeFilesAreReadInParallelRunsWithTheSameEntriesAndTheFirstError() throws Exception {
    StringBuilder json = new StringBuilder("[\n");
    for (int i = 0; i < 5000; i++) {
      json.append(i == 0 ? "" : " ,\n ").append("{\"note\": \"odd \\\"]},[{ text\", ")
          .append("\"image_id\": ").append(i % 2 == 0 ? 4 : 7)
          .append(", \"category_id\": 3, \"bbox\": [").append(i % 50).append(", 1.5, 2, 3]")
          .append(", \"extra\": {\"a\": [[1], {}]}, \"score\": ").append(i / 5000.0)
          .append("}");
    }
    json.append("\n]\n");
    CocoResults r = read(json.toString());
    assertEquals(5000, r.size());
    for (int i : new int[] {0, 2047, 2048, 4999}) {
      CocoDetection d = r.detections().get(i);
      assertEquals(i % 2 == 0 ? 4 : 7, d.imageId());
      assertEquals(i / 5000.0, d.score(), 0.0);
      assertArrayEquals(new double[] {i % 50, 1.5, 2, 3}, d.bbox(), 0.0);
    }
    String bad = json.toString().replace("\"score\": 0.9}", "\"score\": NaN}")
        .replace("\"score\": 0.5}", "\"score\": \"high\"}");
    assertError(bad, "results[2500].score: expected a finite number, found the string \"high\"");
    assertError(json.toString().replace("\"score\": 0.5}", "\"score\": 0.5,}"),
        "not valid JSON");
  }

  @Test
  void theSplitterFindsEachEntryOrGivesUp() {
    byte[] b = " [ {\"a\": \"]\\\"\"}, [1, [2]] ,3,\"s\" ] ".getBytes();
    int[] bounds = CocoResultsReader.EntrySplitter.split(b);
    String text = new String(b);
    assertEquals(List.of("{\"a\": \"]\\\"\"}", "[1, [2]]", "3", "\"s\""), List.of(
        text.substring(bounds[0], bounds[1]), text.substring(bounds[2], bounds[3]),
        text.substring(bounds[4], bounds[5]), text.substring(bounds[6], bounds[7])));
    assertEquals(0, CocoResultsReader.EntrySplitter.split("[ ]".getBytes()).length);
    assertEquals(null, CocoResultsReader.EntrySplitter.split("[{}] x".getBytes()));
    assertEquals(null, CocoResultsReader.EntrySplitter.split("{}".getBytes()));
    assertEquals(null, CocoResultsReader.EntrySplitter.split("[{\"a\": \"}]".getBytes()));
  }

  private CocoResults read(String json) throws Exception {
    return CocoResultsReader.read(TinyCoco.results(dir, json), gt);
  }

  private void assertError(String json, String part) {
    DatasetException e = assertThrows(DatasetException.class, () -> read(json));
    assertTrue(e.getMessage().contains(part), e.getMessage());
    assertTrue(e.getMessage().startsWith(dir.resolve("results.json").toString()),
        e.getMessage());
  }
}
