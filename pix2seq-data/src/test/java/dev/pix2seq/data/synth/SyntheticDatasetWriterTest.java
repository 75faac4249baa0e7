package dev.pix2seq.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.value.Keypoint;
import dev.pix2seq.data.coco.CocoAnnotation;
import dev.pix2seq.data.coco.CocoDataset;
import dev.pix2seq.data.coco.CocoReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticDatasetWriterTest {
  private static final int IMAGES = 12;

  @TempDir Path tmp;

  private static SyntheticDatasetWriter writer(long seed) {
    return new SyntheticDatasetWriter(
        new SyntheticSceneGenerator(SceneOptions.defaults().withSeed(seed)));
  }

  /** SHA-256 of every file under root, by relative path. */
  private static Map<String, String> hashes(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      files.filter(Files::isRegularFile).forEach(f -> {
        try {
          byte[] d = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
          out.put(root.relativize(f).toString().replace('\\', '/'), HexFormat.of().formatHex(d));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
          throw new IllegalStateException(e);
        }
      });
    }
    return out;
  }

  @Test
  void sameSeedWritesIdenticalBytesAndAnotherSeedDoesNot() throws IOException {
    SyntheticDatasetWriter.Summary a = writer(5).write(tmp.resolve("a"), IMAGES);
    writer(5).write(tmp.resolve("b"), IMAGES);
    writer(6).write(tmp.resolve("c"), IMAGES);
    Map<String, String> ha = hashes(tmp.resolve("a"));
    Map<String, String> hb = hashes(tmp.resolve("b"));
    Map<String, String> hc = hashes(tmp.resolve("c"));
    assertEquals(IMAGES + 2, ha.size(), "images plus two annotation files: " + ha.keySet());
    assertTrue(ha.containsKey("images/000000.png"));
    assertTrue(ha.containsKey("images/0000" + (IMAGES - 1) + ".png"));
    assertTrue(ha.containsKey("annotations/instances.json"));
    assertTrue(ha.containsKey("annotations/captions.json"));
    assertEquals(ha, hb);
    assertEquals(ha.keySet(), hc.keySet());
    assertNotEquals(ha.get("annotations/instances.json"), hc.get("annotations/instances.json"));
    assertNotEquals(ha.get("images/000003.png"), hc.get("images/000003.png"));
    assertEquals(IMAGES, a.images());
    assertTrue(a.annotations() >= IMAGES, "at least one object per image on average");
    assertTrue(a.captions() >= 3 * IMAGES && a.captions() <= 5 * IMAGES);
  }

  @Test
  void writtenFilesReadBackAsTheInMemoryDataset() throws Exception {
    SyntheticDatasetWriter w = writer(8);
    w.write(tmp.resolve("d"), IMAGES);
    CocoDataset expected = w.dataset(IMAGES);
    CocoDataset read = new CocoReader().readDataset(tmp.resolve("d")).dataset();
    assertEquals(expected.images(), read.images());
    assertEquals(expected.categories(), read.categories());
    assertEquals(expected.captions(), read.captions());
    assertEquals(expected.annotations().size(), read.annotations().size());
    for (int i = 0; i < expected.annotations().size(); i++) {
      CocoAnnotation e = expected.annotations().get(i);
      CocoAnnotation r = read.annotations().get(i);
      assertEquals(e.bbox(), r.bbox());
      assertEquals(e.segmentation(), r.segmentation());
      assertEquals(e.area(), r.area());
      assertEquals(e.categoryId(), r.categoryId());
      if (e.keypoints() != null) {
        assertEquals(e.keypoints().points().size(), r.keypoints().points().size());
        for (int k = 0; k < e.keypoints().points().size(); k++) {
          Keypoint ek = e.keypoints().points().get(k);
          Keypoint rk = r.keypoints().points().get(k);
          assertEquals(ek.visibility(), rk.visibility());
          assertEquals(ek.x(), rk.x());
          assertEquals(ek.y(), rk.y());
        }
      }
    }
  }

  @Test
  void datasetHasIdsFromOneKeypointCategoryAndRoundedCoordinates() {
    CocoDataset d = writer(5).dataset(IMAGES);
    assertEquals(IMAGES, d.images().size());
    assertEquals(1, d.images().get(0).id());
    assertEquals("000000.png", d.images().get(0).fileName());
    assertEquals(14, d.category(1).keypoints().size());
    for (int i = 0; i < d.annotations().size(); i++) {
      CocoAnnotation a = d.annotations().get(i);
      assertEquals(i + 1, a.id());
      assertEquals(a.categoryId() == 1, a.keypoints() != null);
      for (double v : a.bbox().toXywh()) {
        assertEquals(Math.round(v * 100) / 100.0, v, 1e-9, "two decimals: " + v);
      }
    }
    assertEquals(1, d.captions().get(0).id());
  }
}
