package dev.pix2seq.data.coco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.Keypoints;
import dev.pix2seq.api.value.RleMask;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoRoundTripTest {
  @TempDir Path dir;

  @Test
  void instancesRoundTripGivesAnEqualDataset() throws Exception {
    CocoDataset original = CocoFixtures.richDataset();
    Path file = dir.resolve("instances.json");
    CocoWriter.writeInstances(original, file);

    CocoReader.Result read = new CocoReader().readInstances(file);

    CocoDataset expected = new CocoDataset(
        original.images(), original.categories(), original.annotations(), List.of());
    assertEquals(expected, read.dataset());
    assertTrue(read.report().isClean());
  }

  @Test
  void captionsRoundTripGivesAnEqualDataset() throws Exception {
    CocoDataset original = CocoFixtures.richDataset();
    Path file = dir.resolve("captions.json");
    CocoWriter.writeCaptions(original, new CocoInfo("captions", "1"), file);

    CocoDataset read = new CocoReader().readCaptions(file).dataset();

    assertEquals(original.images(), read.images());
    assertEquals(original.captions(), read.captions());
    assertTrue(read.categories().isEmpty());
    assertTrue(read.annotations().isEmpty());
  }

  @Test
  void datasetFolderRoundTripMergesInstancesAndCaptions() throws Exception {
    CocoDataset original = CocoFixtures.richDataset();
    CocoWriter.writeDataset(original, new CocoInfo("rich", "1"), dir);

    assertTrue(Files.isRegularFile(dir.resolve("annotations/instances.json")));
    assertTrue(Files.isRegularFile(dir.resolve("annotations/captions.json")));
    assertEquals(original, new CocoReader().readDataset(dir).dataset());
  }

  @Test
  void datasetFolderWithoutCaptionsReadsInstancesOnly() throws Exception {
    CocoDataset original = CocoFixtures.richDataset();
    CocoDataset noCaptions = new CocoDataset(
        original.images(), original.categories(), original.annotations(), List.of());
    CocoWriter.writeDataset(noCaptions, null, dir);

    assertFalse(Files.exists(dir.resolve("annotations/captions.json")));
    assertEquals(noCaptions, new CocoReader().readDataset(dir).dataset());
  }

  @Test
  void captionImagesMissingFromInstancesAreAppended() throws Exception {
    CocoDataset original = CocoFixtures.richDataset();
    CocoDataset instancesPart = new CocoDataset(
        original.images().subList(0, 2), original.categories(), original.annotations(),
        List.of());
    CocoLayout layout = new CocoLayout(dir);
    CocoWriter.writeInstances(instancesPart, layout.instancesFile());
    CocoWriter.writeCaptions(original, layout.captionsFile());

    CocoDataset read = new CocoReader().readDataset(dir).dataset();

    assertEquals(original.images(), read.images());
    assertEquals(original.captions(), read.captions());
  }

  @Test
  void writingIsDeterministicAndStableThroughARoundTrip() throws Exception {
    CocoDataset original = CocoFixtures.richDataset();
    CocoInfo info = new CocoInfo("rich", "1");
    byte[] first = CocoWriter.instancesJson(original, info);
    byte[] second = CocoWriter.instancesJson(original, info);
    assertArrayEquals(first, second);

    Path file = dir.resolve("instances.json");
    CocoWriter.writeInstances(original, info, file);
    assertArrayEquals(first, Files.readAllBytes(file));
    CocoDataset read = new CocoReader().readInstances(file).dataset();
    assertArrayEquals(first, CocoWriter.instancesJson(read, info));

    byte[] captions = CocoWriter.captionsJson(original, info);
    assertArrayEquals(captions, CocoWriter.captionsJson(original, info));
  }

  @Test
  void writtenJsonIsStandardCoco() throws Exception {
    byte[] bytes = CocoWriter.instancesJson(CocoFixtures.richDataset(), new CocoInfo("d", "v"));
    String text = new String(bytes, StandardCharsets.UTF_8);
    JsonNode doc = CocoFixtures.JSON.readTree(bytes);

    assertEquals(List.of("info", "licenses", "images", "annotations", "categories"),
        fieldNames(doc));
    assertEquals("d", doc.get("info").get("description").asText());
    JsonNode first = doc.get("annotations").get(0);
    assertEquals(List.of("id", "image_id", "category_id", "iscrowd", "area", "bbox",
        "segmentation"), fieldNames(first));
    assertEquals("[1,2,3.5,4]", first.get("bbox").toString());
    assertEquals(2, first.get("segmentation").size());
    JsonNode person = doc.get("annotations").get(1);
    assertEquals(9, person.get("keypoints").size());
    assertEquals(2, person.get("num_keypoints").asInt());
    JsonNode rle = doc.get("annotations").get(2).get("segmentation");
    assertEquals("[6,8]", rle.get("size").toString());
    assertTrue(rle.get("counts").isTextual());
    assertEquals(1, doc.get("annotations").get(2).get("iscrowd").asInt());
    assertFalse(doc.get("annotations").get(3).has("segmentation"));
    assertEquals("[[1,2],[1,3]]", doc.get("categories").get(0).get("skeleton").toString());
    assertFalse(doc.get("categories").get(1).has("keypoints"));
    assertTrue(text.contains("\"image_id\":3000000000"), "long ids are written whole");
    assertTrue(text.contains("\n{\"id\":7,\"file_name\":\"a.png\",\"width\":20,\"height\":10},\n"),
        "one image per line: " + text);

    JsonNode captions = CocoFixtures.JSON.readTree(
        CocoWriter.captionsJson(CocoFixtures.richDataset(), null));
    assertEquals(List.of("info", "licenses", "type", "images", "annotations"),
        fieldNames(captions));
    assertEquals("captions", captions.get("type").asText());
    assertEquals(List.of("id", "image_id", "caption"),
        fieldNames(captions.get("annotations").get(0)));
  }

  @Test
  void compressedAndUncompressedRleReadToTheSameMask() throws Exception {
    Path file = CocoFixtures.write(dir, "instances.json", CocoFixtures.instancesDocument());
    CocoDataset read = new CocoReader().readInstances(file).dataset();
    RleMask uncompressed = (RleMask) read.annotations().get(2).segmentation();
    RleMask compressed = (RleMask) read.annotations().get(3).segmentation();
    assertEquals(new RleMask(6, 8, new int[] {2, 3, 43}), uncompressed);
    assertEquals(uncompressed, compressed);
    assertTrue(read.annotations().get(2).crowd());
  }

  @Test
  void readerMapsSkeletonToZeroBasedAndKeypointsToTheSchema() throws Exception {
    Path file = CocoFixtures.write(dir, "instances.json", CocoFixtures.instancesDocument());
    CocoDataset read = new CocoReader().readInstances(file).dataset();

    Category person = read.category(1);
    assertEquals(CocoFixtures.threePointSchema(), person.keypoints());
    Keypoints kps = read.annotations().get(1).keypoints();
    assertEquals(2, kps.labeledCount());
    assertArrayEquals(new double[] {1, 1, 2, 2, 2, 1, 0, 0, 0}, kps.toCocoArray());
    assertNull(read.annotations().get(0).keypoints());
    assertEquals(BoundingBox.ofXywh(1, 2, 3, 4), read.annotations().get(0).bbox());
  }

  @Test
  void missingAreaIsComputedFromTheSegmentationOrTheBox() throws Exception {
    var doc = CocoFixtures.instancesDocument();
    for (int i = 0; i < 4; i++) {
      CocoFixtures.annotation(doc, i).remove("area");
    }
    CocoFixtures.annotation(doc, 1).remove("segmentation");
    Path file = CocoFixtures.write(dir, "instances.json", doc);

    List<CocoAnnotation> read = new CocoReader().readInstances(file).dataset().annotations();

    assertEquals(6 + 0.5, read.get(0).area(), 1e-12, "sum of the polygon areas");
    assertEquals(25, read.get(1).area(), 1e-12, "box area without segmentation");
    assertEquals(3, read.get(2).area(), 1e-12, "RLE pixel count");
  }

  @Test
  void boxesAndNumbersSurviveRoundTripsOfRandomValues() throws Exception {
    Random random = new Random(42);
    List<CocoAnnotation> annotations = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      double x = random.nextDouble() * 1000 - 10;
      double y = random.nextDouble() * 1000;
      BoundingBox box = new BoundingBox(x, y, x + random.nextDouble() * 700,
          y + random.nextDouble() * 3e-3);
      annotations.add(new CocoAnnotation(i, 1, 1, box, null, random.nextDouble() * 1e6,
          random.nextBoolean(), null));
    }
    annotations.add(new CocoAnnotation(1000, 1, 1, new BoundingBox(-0.0, 1e-300, 0.0, 1e-300),
        null, -0.0, false, null));
    CocoDataset original = new CocoDataset(List.of(new CocoImage(1, "x.png", 5, 5)),
        List.of(Category.of(1, "thing")), annotations, List.of());
    Path file = dir.resolve("random.json");
    CocoWriter.writeInstances(original, file);

    assertEquals(original, new CocoReader().readInstances(file).dataset());
  }

  @Test
  void writerRejectsAnnotationsThatCannotBeValidCoco() {
    CocoDataset rich = CocoFixtures.richDataset();
    CocoAnnotation badKeypoints = new CocoAnnotation(50, 7, 44, BoundingBox.ofXywh(0, 0, 1, 1),
        null, 1, false, rich.annotations().get(1).keypoints());
    CocoDataset withBadKeypoints = new CocoDataset(rich.images(), rich.categories(),
        List.of(badKeypoints), List.of());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CocoWriter.instancesJson(withBadKeypoints, null));
    assertTrue(e.getMessage().contains("annotation 50"), e.getMessage());

    CocoAnnotation badRle = new CocoAnnotation(51, 7, 44, BoundingBox.ofXywh(0, 0, 1, 1),
        new RleMask(2, 2, new int[] {4}), 0, false, null);
    CocoDataset withBadRle = new CocoDataset(rich.images(), rich.categories(),
        List.of(badRle), List.of());
    e = assertThrows(IllegalArgumentException.class,
        () -> CocoWriter.instancesJson(withBadRle, null));
    assertTrue(e.getMessage().contains("[10, 20]"), e.getMessage());
  }

  @Test
  void atomicWriteLeavesNoTemporaryFiles() throws Exception {
    Path file = dir.resolve("nested/annotations/instances.json");
    CocoWriter.writeInstances(CocoFixtures.richDataset(), file);
    CocoWriter.writeInstances(CocoFixtures.richDataset(), file);
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertEquals(List.of(file), files.toList());
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
