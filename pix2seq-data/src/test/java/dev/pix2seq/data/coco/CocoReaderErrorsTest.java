package dev.pix2seq.data.coco;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pix2seq.api.DatasetException;
import dev.pix2seq.data.coco.ReadReport.SkipReason;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoReaderErrorsTest {
  @TempDir Path dir;

  private DatasetException strictFailure(Consumer<ObjectNode> breakIt) {
    ObjectNode doc = CocoFixtures.instancesDocument();
    breakIt.accept(doc);
    Path file = CocoFixtures.write(dir, "broken_instances.json", doc);
    return assertThrows(DatasetException.class, () -> new CocoReader().readInstances(file));
  }

  private static void assertMentions(Exception e, String... parts) {
    String message = e.getMessage();
    assertTrue(message.contains("broken_instances.json") || message.contains("broken"),
        "message names the file: " + message);
    for (String part : parts) {
      assertTrue(message.contains(part), "message should contain '" + part + "': " + message);
    }
  }

  @Test
  void malformedJsonNamesTheFileAndLine() {
    Path file = CocoFixtures.write(dir, "broken_instances.json",
        "{\n  \"images\": [\n    {\"id\": 1,,}\n  ]\n}\n");
    DatasetException e = assertThrows(DatasetException.class,
        () -> new CocoReader().readInstances(file));
    assertMentions(e, "not valid JSON", "line 3");
  }

  @Test
  void emptyAndNonObjectFilesAreRejected() {
    Path empty = CocoFixtures.write(dir, "broken_empty.json", "");
    assertMentions(assertThrows(DatasetException.class,
        () -> new CocoReader().readInstances(empty)), "empty file");
    Path list = CocoFixtures.write(dir, "broken_list.json", "[1, 2]");
    assertMentions(assertThrows(DatasetException.class,
        () -> new CocoReader().readInstances(list)), "expected a JSON object",
        "an array of 2 elements");
  }

  @Test
  void missingFileIsNamed() {
    Path file = dir.resolve("broken_missing.json");
    assertMentions(assertThrows(DatasetException.class,
        () -> new CocoReader().readInstances(file)), "file not found");
  }

  @Test
  void missingDatasetLayoutNamesTheExpectedFile() {
    DatasetException e = assertThrows(DatasetException.class,
        () -> new CocoReader().readDataset(dir.resolve("broken")));
    assertMentions(e, "annotations/instances.json", "file not found");
  }

  @Test
  void sectionOfTheWrongTypeIsRejected() {
    DatasetException e = strictFailure(doc -> doc.putObject("images"));
    assertMentions(e, "images: expected an array, found an object");
  }

  @Test
  void missingSectionIsRejected() {
    DatasetException e = strictFailure(doc -> doc.remove("annotations"));
    assertMentions(e, "annotations: expected an array of annotations, found no such field");
  }

  @Test
  void wrongTypeNamesPathAndId() {
    DatasetException e = strictFailure(
        doc -> CocoFixtures.annotation(doc, 1).put("image_id", "1"));
    assertMentions(e, "annotations[1].image_id (annotation id 11)",
        "expected an integer, found the string \"1\"");
  }

  @Test
  void missingImageNamesTheAnnotation() {
    DatasetException e = strictFailure(
        doc -> CocoFixtures.annotation(doc, 3).put("image_id", 99));
    assertMentions(e, "annotations[3].image_id (annotation id 345)",
        "expected the id of an entry in images, found 99");
  }

  @Test
  void missingCategoryNamesTheAnnotation() {
    DatasetException e = strictFailure(
        doc -> CocoFixtures.annotation(doc, 0).put("category_id", 77));
    assertMentions(e, "annotations[0].category_id (annotation id 10)",
        "expected the id of an entry in categories, found 77");
  }

  @Test
  void polygonWithTooFewPointsNamesThePolygon() {
    DatasetException e = strictFailure(doc -> {
      ArrayNode seg = (ArrayNode) CocoFixtures.annotation(doc, 0).get("segmentation");
      seg.set(1, seg.arrayNode().add(1).add(2).add(3).add(4));
    });
    assertMentions(e, "annotations[0].segmentation[1] (annotation id 10)",
        "expected at least 3 points (6 numbers), found 4 numbers");
  }

  @Test
  void polygonWithAnOddCountNamesThePolygon() {
    DatasetException e = strictFailure(doc ->
        ((ArrayNode) CocoFixtures.annotation(doc, 0).get("segmentation").get(0)).add(9));
    assertMentions(e, "annotations[0].segmentation[0] (annotation id 10)",
        "expected an even count of numbers", "found 7 numbers");
  }

  @Test
  void keypointsOfTheWrongLengthNameTheCategorySchema() {
    DatasetException e = strictFailure(doc ->
        ((ArrayNode) CocoFixtures.annotation(doc, 1).get("keypoints")).remove(8));
    assertMentions(e, "annotations[1].keypoints (annotation id 11)",
        "expected 9 numbers", "3 keypoints of category 1 'person'", "found 8");
  }

  @Test
  void keypointVisibilityOutsideZeroToTwoIsRejected() {
    DatasetException e = strictFailure(doc ->
        ((ArrayNode) CocoFixtures.annotation(doc, 1).get("keypoints")).set(5, 3));
    assertMentions(e, "annotations[1].keypoints[5] (annotation id 11)",
        "expected a visibility 0, 1 or 2, found 3");
  }

  @Test
  void numKeypointsMustCountTheLabeledKeypoints() {
    DatasetException e = strictFailure(
        doc -> CocoFixtures.annotation(doc, 1).put("num_keypoints", 3));
    assertMentions(e, "annotations[1].num_keypoints (annotation id 11)",
        "expected 2 (the keypoints with v > 0), found 3");
  }

  @Test
  void keypointsOnACategoryWithoutNamesAreRejected() {
    DatasetException e = strictFailure(
        doc -> CocoFixtures.annotation(doc, 1).put("category_id", 5));
    assertMentions(e, "annotations[1].keypoints (annotation id 11)",
        "category 5 'box' has no keypoint names");
  }

  @Test
  void negativeBoxSizeIsRejected() {
    DatasetException e = strictFailure(doc ->
        ((ArrayNode) CocoFixtures.annotation(doc, 0).get("bbox")).set(3, -4.5));
    assertMentions(e, "annotations[0].bbox (annotation id 10)",
        "expected width and height >= 0, found width 3, height -4.5");
  }

  @Test
  void boxOfTheWrongShapeIsRejected() {
    DatasetException e = strictFailure(doc ->
        ((ArrayNode) CocoFixtures.annotation(doc, 0).get("bbox")).remove(3));
    assertMentions(e, "annotations[0].bbox (annotation id 10)",
        "expected [x, y, width, height], found an array of 3 elements");
  }

  @Test
  void compressedRleWithAnIllegalCharacterIsRejected() {
    DatasetException e = strictFailure(doc ->
        ((ObjectNode) CocoFixtures.annotation(doc, 3).get("segmentation")).put("counts", "a b"));
    assertMentions(e, "annotations[3].segmentation.counts (annotation id 345)",
        "expected an RLE of size [6, 8]", "illegal character");
  }

  @Test
  void uncompressedRleThatDoesNotCoverTheImageIsRejected() {
    DatasetException e = strictFailure(doc -> {
      ObjectNode seg = (ObjectNode) CocoFixtures.annotation(doc, 2).get("segmentation");
      seg.putArray("counts").add(2).add(3).add(40);
    });
    assertMentions(e, "annotations[2].segmentation.counts (annotation id 12)",
        "height*width=48, found 45");
  }

  @Test
  void rleWithoutSizeIsRejected() {
    DatasetException e = strictFailure(doc ->
        ((ObjectNode) CocoFixtures.annotation(doc, 2).get("segmentation")).remove("size"));
    assertMentions(e, "annotations[2].segmentation.size (annotation id 12)",
        "expected [height, width], found nothing");
  }

  @Test
  void rleOfAnotherSizeThanItsImageIsRejected() {
    DatasetException e = strictFailure(doc -> {
      ObjectNode seg = (ObjectNode) CocoFixtures.annotation(doc, 2).get("segmentation");
      seg.putArray("size").add(8).add(6);
    });
    assertMentions(e, "annotations[2].segmentation.size (annotation id 12)",
        "expected [6, 8] ([height, width] of image 2), found [8, 6]");
  }

  @Test
  void duplicateAnnotationIdsAreRejected() {
    DatasetException e = strictFailure(
        doc -> CocoFixtures.annotation(doc, 2).put("id", 10));
    assertMentions(e, "annotations[2].id (annotation id 10)",
        "found id 10 again (first at annotations[0])");
  }

  @Test
  void duplicateImageIdsAreRejected() {
    DatasetException e = strictFailure(
        doc -> ((ObjectNode) doc.get("images").get(1)).put("id", 1));
    assertMentions(e, "images[1].id (image id 1)", "found image id 1 again (first at images[0])");
  }

  @Test
  void duplicateCategoryIdsAreRejected() {
    DatasetException e = strictFailure(
        doc -> ((ObjectNode) doc.get("categories").get(1)).put("id", 1));
    assertMentions(e, "categories[1].id (category id 1)", "found category id 1 again");
  }

  @Test
  void badImageEntriesNameTheImage() {
    DatasetException e = strictFailure(
        doc -> ((ObjectNode) doc.get("images").get(1)).put("width", 0));
    assertMentions(e, "images[1].width (image id 2)", "expected a positive integer, found 0");
  }

  @Test
  void skeletonOutsideTheKeypointsIsRejected() {
    DatasetException e = strictFailure(doc -> ((ArrayNode) doc.get("categories").get(0)
        .get("skeleton")).addArray().add(3).add(4));
    assertMentions(e, "categories[0].skeleton[2] (category id 1)",
        "expected 1-based keypoint numbers in 1..3, found [3, 4]");
  }

  @Test
  void duplicateJsonKeysAreRejected() {
    Path file = CocoFixtures.write(dir, "broken_instances.json",
        "{\"images\": [], \"images\": [], \"annotations\": []}");
    DatasetException e = assertThrows(DatasetException.class,
        () -> new CocoReader().readInstances(file));
    assertMentions(e, "not valid JSON", "images");
  }

  @Test
  void captionWithoutTextIsRejected() {
    String json = """
        {"images": [{"id": 5, "file_name": "x.png", "width": 4, "height": 4}],
         "annotations": [{"id": 1, "image_id": 5, "caption": "fine"},
                         {"id": 2, "image_id": 5, "caption": 17}]}
        """;
    Path file = CocoFixtures.write(dir, "broken_captions.json", json);
    DatasetException e = assertThrows(DatasetException.class,
        () -> new CocoReader().readCaptions(file));
    assertMentions(e, "annotations[1].caption (caption id 2)",
        "expected a string, found the number 17");
  }

  @Test
  void captionsFileDisagreeingWithInstancesAboutAnImageIsRejected() throws Exception {
    CocoDataset rich = CocoFixtures.richDataset();
    CocoLayout layout = new CocoLayout(dir.resolve("broken"));
    CocoWriter.writeInstances(rich, layout.instancesFile());
    CocoDataset other = new CocoDataset(List.of(new CocoImage(7, "other.png", 20, 10)),
        List.of(), List.of(), List.of(new CocoCaption(1, 7, "x")));
    CocoWriter.writeCaptions(other, layout.captionsFile());
    DatasetException e = assertThrows(DatasetException.class,
        () -> new CocoReader().readDataset(layout.root()));
    assertMentions(e, "captions.json: image id 7", "file_name 'a.png'", "file_name 'other.png'");
  }

  @Test
  void lenientModeSkipsCountsAndReportsEachReason() throws Exception {
    ObjectNode doc = CocoFixtures.instancesDocument();
    ArrayNode annotations = CocoFixtures.array(doc, "annotations");
    ObjectNode template = CocoFixtures.annotation(doc, 0);
    long nextId = 1000;
    // two missing images, one missing category, one bad polygon, one bad keypoints,
    // one negative box, one duplicate id, one wrong type, one bad RLE
    for (int i = 0; i < 2; i++) {
      annotations.add(template.deepCopy().put("id", nextId++).put("image_id", 404));
    }
    annotations.add(template.deepCopy().put("id", nextId++).put("category_id", 404));
    ObjectNode badPolygon = template.deepCopy().put("id", nextId++);
    badPolygon.putArray("segmentation").addArray().add(1).add(2);
    annotations.add(badPolygon);
    ObjectNode badKeypoints = CocoFixtures.annotation(doc, 1).deepCopy().put("id", nextId++);
    badKeypoints.putArray("keypoints").add(1).add(1);
    annotations.add(badKeypoints);
    ObjectNode negativeBox = template.deepCopy().put("id", nextId++);
    negativeBox.putArray("bbox").add(0).add(0).add(-1).add(1);
    annotations.add(negativeBox);
    annotations.add(template.deepCopy());
    annotations.add(template.deepCopy().put("id", nextId++).put("iscrowd", "no"));
    ObjectNode badRle = CocoFixtures.annotation(doc, 3).deepCopy().put("id", nextId++);
    ((ObjectNode) badRle.get("segmentation")).put("counts", "\u007f");
    annotations.add(badRle);
    Path file = CocoFixtures.write(dir, "lenient_instances.json", doc);

    assertThrows(DatasetException.class, () -> new CocoReader().readInstances(file));
    CocoReader.Result result =
        new CocoReader(CocoReader.Options.lenient()).readInstances(file);

    ReadReport report = result.report();
    assertEquals(4, result.dataset().annotations().size(), "the four good annotations stay");
    assertEquals(2, report.skipped(SkipReason.MISSING_IMAGE));
    assertEquals(1, report.skipped(SkipReason.MISSING_CATEGORY));
    assertEquals(2, report.skipped(SkipReason.BAD_SEGMENTATION));
    assertEquals(1, report.skipped(SkipReason.BAD_KEYPOINTS));
    assertEquals(1, report.skipped(SkipReason.BAD_BBOX));
    assertEquals(1, report.skipped(SkipReason.DUPLICATE_ID));
    assertEquals(1, report.skipped(SkipReason.BAD_FIELD));
    assertEquals(9, report.totalSkipped());
    String first = report.firstProblem().get(SkipReason.MISSING_IMAGE);
    assertTrue(first.contains("lenient_instances.json: annotations[4].image_id (annotation id "
        + "1000)"), first);
    assertTrue(report.summary().contains("MISSING_IMAGE=2"), report.summary());
  }

  @Test
  void lenientModeStillFailsOnBadImagesAndMalformedJson() {
    ObjectNode doc = CocoFixtures.instancesDocument();
    ((ObjectNode) doc.get("images").get(0)).remove("file_name");
    Path file = CocoFixtures.write(dir, "broken_instances.json", doc);
    DatasetException e = assertThrows(DatasetException.class,
        () -> new CocoReader(CocoReader.Options.lenient()).readInstances(file));
    assertMentions(e, "images[0].file_name (image id 1)", "expected a non-empty string");
  }

  @Test
  void reportsAddUp() {
    ReadReport a = new ReadReport(java.util.Map.of(SkipReason.BAD_BBOX, 2),
        java.util.Map.of(SkipReason.BAD_BBOX, "first"));
    ReadReport b = new ReadReport(java.util.Map.of(SkipReason.BAD_BBOX, 1,
        SkipReason.DUPLICATE_ID, 4), java.util.Map.of(SkipReason.BAD_BBOX, "second"));
    ReadReport sum = a.plus(b);
    assertEquals(3, sum.skipped(SkipReason.BAD_BBOX));
    assertEquals(4, sum.skipped(SkipReason.DUPLICATE_ID));
    assertEquals("first", sum.firstProblem().get(SkipReason.BAD_BBOX));
    assertTrue(ReadReport.empty().isClean());
    assertEquals("nothing skipped", ReadReport.empty().summary());
  }

  @Test
  void lenientCaptionsSkipMissingImagesAndDuplicates() throws Exception {
    String json = """
        {"images": [{"id": 5, "file_name": "x.png", "width": 4, "height": 4}],
         "annotations": [{"id": 1, "image_id": 5, "caption": "kept"},
                         {"id": 2, "image_id": 6, "caption": "no such image"},
                         {"id": 1, "image_id": 5, "caption": "same id"}]}
        """;
    Path file = CocoFixtures.write(dir, "captions.json", json);
    CocoReader.Result result = new CocoReader(CocoReader.Options.lenient()).readCaptions(file);
    assertEquals(List.of(new CocoCaption(1, 5, "kept")), result.dataset().captions());
    assertEquals(1, result.report().skipped(SkipReason.MISSING_IMAGE));
    assertEquals(1, result.report().skipped(SkipReason.DUPLICATE_ID));
  }

  @Test
  void sectionsMayComeInAnyOrder() throws Exception {
    ObjectNode doc = CocoFixtures.instancesDocument();
    ObjectNode reordered = CocoFixtures.JSON.createObjectNode();
    reordered.set("annotations", doc.get("annotations"));
    reordered.set("categories", doc.get("categories"));
    reordered.put("extra", 1);
    reordered.set("images", doc.get("images"));
    Path inOrder = CocoFixtures.write(dir, "in_order.json", doc);
    Path file = CocoFixtures.write(dir, "reordered.json", reordered);
    assertEquals(new CocoReader().readInstances(inOrder).dataset(),
        new CocoReader().readInstances(file).dataset());
  }
}
