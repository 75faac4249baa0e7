package dev.pix2seq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.data.coco.CocoReader;
import dev.pix2seq.data.coco.CocoDataset;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthCommandTest {

  @Test
  void writesAReadableCocoDatasetAndSameSeedGivesSameBytes(@TempDir Path tmp) throws Exception {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    assertEquals(0, Pix2seqCommand.execute("synth", "--out", a.toString(), "--images", "6",
        "--seed", "3", "--size", "96"));
    assertEquals(0, Pix2seqCommand.execute("synth", "--out", b.toString(), "--images", "6",
        "--seed", "3", "--size", "96"));
    Map<String, String> hashesA = hashes(a);
    assertEquals(hashesA, hashes(b));
    assertEquals(8, hashesA.size(), "6 images and 2 annotation files: " + hashesA.keySet());

    CocoDataset d = new CocoReader().readDataset(a).dataset();
    assertEquals(6, d.images().size());
    assertTrue(d.annotations().size() > 0);
    assertTrue(d.captions().size() >= 6);
    assertTrue(d.categories().stream().anyMatch(c -> c.keypointSchema().isPresent()));

    Path c = tmp.resolve("c");
    assertEquals(0, Pix2seqCommand.execute("synth", "--out", c.toString(), "--images", "6",
        "--seed", "4", "--size", "96"));
    assertTrue(!hashesA.equals(hashes(c)), "another seed gives another dataset");
  }

  @Test
  void showDrawsTheGroundTruthOfOneImage(@TempDir Path tmp) throws Exception {
    Path data = tmp.resolve("data");
    assertEquals(0, Pix2seqCommand.execute("synth", "--out", data.toString(), "--images", "2",
        "--size", "64"));
    Path png = tmp.resolve("shown.png");
    assertEquals(0, Pix2seqCommand.execute("show", "--data", data.toString(), "--index", "1",
        "--out", png.toString(), "--scale", "2"));
    java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
    assertEquals(128, img.getWidth());
    assertTrue(img.getHeight() > 128, "caption bar below the image");
    assertEquals(2, Pix2seqCommand.execute("show", "--data", data.toString(), "--index", "9",
        "--out", png.toString()));
  }

  @Test
  void badArgumentsGiveOneClearLineAndExitCode2(@TempDir Path tmp) {
    PrintStream oldErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      assertEquals(2, Pix2seqCommand.execute("synth", "--out", tmp.toString(), "--images", "0"));
    } finally {
      System.setErr(oldErr);
    }
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--images must be >= 1, found 0"),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void showChecksItsScaleBeforeReadingTheDataset(@TempDir Path tmp) {
    PrintStream oldErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      assertEquals(2, Pix2seqCommand.execute("show", "--data", tmp.resolve("none").toString(),
          "--out", tmp.resolve("x.png").toString(), "--scale", "0"));
    } finally {
      System.setErr(oldErr);
    }
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--scale must be in 1..16, found 0"),
        err.toString(StandardCharsets.UTF_8));
  }

  private static Map<String, String> hashes(Path root) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        out.put(root.relativize(p).toString(),
            HexFormat.of().formatHex(md.digest(Files.readAllBytes(p))));
      }
    }
    return out;
  }
}
