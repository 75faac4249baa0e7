package dev.pix2seq.data.coco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.RleMask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads the project's reference COCO files (../../shared/reference from the module, or the
 * folder named by the system property {@code pix2seq.shared}); skipped when they are absent.
 */
class ReferenceFilesTest {
  @TempDir Path dir;

  static Path sharedDir() {
    String property = System.getProperty("pix2seq.shared");
    return property != null ? Path.of(property) : Path.of("../../shared");
  }

  static Stream<Arguments> instanceFiles() throws IOException {
    Path coco = sharedDir().resolve("reference/coco");
    if (!Files.isDirectory(coco)) {
      return Stream.of(Arguments.of(coco.resolve("absent"), "absent"));
    }
    try (Stream<Path> cases = Files.list(coco)) {
      return cases.filter(Files::isDirectory).sorted()
          .flatMap(c -> Stream.of("gt.json", "gt_keypoints.json").map(c::resolve))
          .map(f -> Arguments.of(f, f.getParent().getFileName() + "/" + f.getFileName()))
          .toList().stream();
    }
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("instanceFiles")
  void readsReferenceInstances(Path file, String name) throws Exception {
    assumeTrue(Files.isRegularFile(file), "reference file absent: " + file);
    JsonNode tree = CocoFixtures.JSON.readTree(file.toFile());

    CocoReader.Result result = new CocoReader().readInstances(file);

    CocoDataset ds = result.dataset();
    assertTrue(result.report().isClean());
    assertEquals(tree.get("images").size(), ds.images().size());
    assertEquals(tree.get("annotations").size(), ds.annotations().size());
    assertEquals(tree.get("categories").size(), ds.categories().size());
    int rleCount = 0;
    for (int i = 0; i < ds.annotations().size(); i++) {
      JsonNode raw = tree.get("annotations").get(i);
      CocoAnnotation a = ds.annotations().get(i);
      assertEquals(raw.get("id").asLong(), a.id());
      assertEquals(raw.get("area").asDouble(), a.area());
      assertEquals(raw.get("iscrowd").asInt() == 1, a.crowd());
      if (a.segmentation() instanceof RleMask rle) {
        rleCount++;
        assertEquals(raw.get("area").asDouble(), (double) rle.area(),
            "RLE pixel count equals area of annotation " + a.id());
      }
      if (raw.has("keypoints")) {
        double[] expected = new double[raw.get("keypoints").size()];
        for (int k = 0; k < expected.length; k++) {
          expected[k] = raw.get("keypoints").get(k).asDouble();
        }
        assertArrayEquals(expected, a.keypoints().toCocoArray());
        assertEquals(raw.get("num_keypoints").asInt(), a.keypoints().labeledCount());
      }
    }
    if (name.startsWith("small_basic")) {
      assertTrue(rleCount > 0, "small_basic holds RLE ground truth");
    }
    Category person = ds.category(1);
    assertEquals(17, person.keypoints().size());
    assertEquals("left_eye", person.keypoints().names().get(1));
    assertEquals(15, person.keypoints().skeleton().get(0).from(), "skeleton [16, 14] 0-based");

    Path rewritten = dir.resolve("rewritten.json");
    CocoWriter.writeInstances(ds, rewritten);
    assertEquals(ds, new CocoReader().readInstances(rewritten).dataset());
  }

  @Test
  void readsReferenceCaptions() throws Exception {
    Path file = sharedDir().resolve("reference/captions/captions_small/captions_gt.json");
    assumeTrue(Files.isRegularFile(file), "reference file absent: " + file);
    JsonNode tree = CocoFixtures.JSON.readTree(file.toFile());

    CocoDataset ds = new CocoReader().readCaptions(file).dataset();

    assertEquals(tree.get("images").size(), ds.images().size());
    assertEquals(tree.get("annotations").size(), ds.captions().size());
    assertEquals(tree.get("annotations").get(0).get("caption").asText(),
        ds.captions().get(0).caption());
    assertFalse(ds.captionsOf(ds.images().get(0).id()).isEmpty());
    Path rewritten = dir.resolve("captions.json");
    CocoWriter.writeCaptions(ds, rewritten);
    assertEquals(ds, new CocoReader().readCaptions(rewritten).dataset());
  }

  @Test
  void referenceRleStringsDecodeLikeTheirRuns() throws Exception {
    Path file = sharedDir().resolve("reference/coco/small_basic/gt.json");
    assumeTrue(Files.isRegularFile(file), "reference file absent: " + file);
    List<CocoAnnotation> anns = new CocoReader().readInstances(file).dataset().annotations();
    for (CocoAnnotation a : anns) {
      if (a.segmentation() instanceof RleMask rle) {
        assertEquals(rle, RleMask.fromCompressed(rle.toCompressed(), rle.height(), rle.width()));
      }
    }
  }
}
