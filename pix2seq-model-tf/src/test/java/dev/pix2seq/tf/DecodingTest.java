package dev.pix2seq.tf;

import static dev.pix2seq.api.testing.ModelFixtures.VOCAB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.model.DecodingSession;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.testing.ModelFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What only the TensorFlow engine can show about decoding: that its native memory stays flat. The
 * behaviour every backend shares (cached against recomputed logits, select, misuse, threads) is
 * checked by the contract suite in pix2seq-backend-tests.
 */
class DecodingTest {

  private static Pix2seqModel stemModel;

  @BeforeAll
  static void createModels() {
    stemModel = new TfBackend().create(ModelFixtures.smallConfig(true), VOCAB, Device.CPU, 7);
  }

  @AfterAll
  static void closeModels() {
    stemModel.close();
  }

  @Test
  void nativeMemoryStaysFlatOverThousandsOfFeeds() throws IOException {
    try (ImageFeatures features = stemModel.encoder().encode(ModelFixtures.images(2, 32, 4))) {
      runSessions(features, 50);
      // A leak of the cache would add ~12 kB per feed, 10 MB in every window of 880 feeds;
      // without one, resident memory only moves with the JIT and the allocator, so at least one
      // window stays nearly flat.
      long smallest = Long.MAX_VALUE;
      long before = nativeKilobytes();
      for (int window = 0; window < 4; window++) {
        runSessions(features, 40);
        long after = nativeKilobytes();
        smallest = Math.min(smallest, after - before);
        before = after;
      }
      assertTrue(smallest < 3_000,
          "memory outside the Java heap grew by at least " + smallest + " kB per 880 feeds");
    }
  }

  @Test
  void everyNativeTensorOfASessionIsClosedWhenItIsDone() {
    try (ImageFeatures features = stemModel.encoder().encode(ModelFixtures.images(2, 32, 4))) {
      runSessions(features, 2);
      long before = Pointer.totalCount();
      for (int s = 0; s < 20; s++) {
        try (DecodingSession session = stemModel.decoder().open(features, new int[] {0, 1})) {
          session.feed(new int[][] {{1, 2}, {3, 4}});
          session.select(new int[] {1, 0});
          session.feed(new int[][] {{5}, {6}});
          long live = Pointer.totalCount();
          for (int i = 0; i < 18; i++) {
            session.feed(new int[][] {{i % VOCAB}, {(i * 3) % VOCAB}});
            if (i % 6 == 5) {
              session.select(new int[] {1, 0});
              session.feed(new int[][] {{i % VOCAB}, {(i * 3) % VOCAB}});
              assertEquals(live, Pointer.totalCount(),
                  "native objects alive in session " + s + " after " + (i + 1) + " feeds");
            }
          }
        }
        assertEquals(before, Pointer.totalCount(),
            "native objects alive after session " + s + " closed");
      }
    }
  }

  private static void runSessions(ImageFeatures features, int sessions) {
    for (int repeat = 0; repeat < sessions; repeat++) {
      try (DecodingSession session = stemModel.decoder().open(features, new int[] {0, 1})) {
        session.feed(new int[][] {{1, 2}, {3, 4}});
        for (int i = 0; i < 20; i++) {
          session.feed(new int[][] {{i % VOCAB}, {(i * 7) % VOCAB}});
          if (i % 5 == 0) {
            session.select(new int[] {1, 0});
          }
        }
      }
    }
  }

  /** Resident memory minus the committed Java heap, after a collection. */
  private static long nativeKilobytes() throws IOException {
    System.gc();
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""))
            - Runtime.getRuntime().totalMemory() / 1024;
      }
    }
    throw new IOException("no VmRSS line in /proc/self/status");
  }
}
