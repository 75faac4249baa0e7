package dev.pix2seq.tf;

import static dev.pix2seq.tf.TestFixtures.VOCAB;
import static dev.pix2seq.tf.TestFixtures.argmax;
import static dev.pix2seq.tf.TestFixtures.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.model.DecodingSession;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.Pix2seqModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DecodingTest {

  private static final float TOLERANCE = 1e-5f;
  private static Pix2seqModel stemModel;
  private static Pix2seqModel patchModel;

  @BeforeAll
  static void createModels() {
    stemModel = new TfBackend().create(TestFixtures.smallConfig(true), VOCAB, Device.CPU, 7);
    patchModel = new TfBackend().create(TestFixtures.smallConfig(false), VOCAB, Device.CPU, 8);
  }

  @AfterAll
  static void closeModels() {
    stemModel.close();
    patchModel.close();
  }

  private static Pix2seqModel model(boolean stem) {
    return stem ? stemModel : patchModel;
  }

  @ParameterizedTest(name = "convStem={0}")
  @ValueSource(booleans = {true, false})
  void cachedGreedyDecodingReproducesFullRecompute(boolean stem) {
    Pix2seqModel model = model(stem);
    int[] imageOfRow = {0, 1, 2, 1};
    int rows = imageOfRow.length;
    int[][] prompts = TestFixtures.tokens(rows, 3, VOCAB, 11);
    int steps = 15;
    try (ImageFeatures features = model.encoder().encode(TestFixtures.images(3, 32, 5));
        DecodingSession session = model.decoder().open(features, imageOfRow)) {
      float[][] logits = session.feed(prompts);
      int[][] sequences = new int[rows][];
      for (int r = 0; r < rows; r++) {
        sequences[r] = prompts[r].clone();
      }
      for (int step = 0; step < steps; step++) {
        float[][][] full = model.decoder().logits(features, imageOfRow, sequences);
        int[][] next = new int[rows][1];
        for (int r = 0; r < rows; r++) {
          float[] reference = full[r][sequences[r].length - 1];
          assertTrue(maxAbsDiff(reference, logits[r]) < TOLERANCE,
              "row " + r + " step " + step + " differs by " + maxAbsDiff(reference, logits[r]));
          assertEquals(argmax(reference), argmax(logits[r]));
          next[r][0] = argmax(logits[r]);
          sequences[r] = Arrays.copyOf(sequences[r], sequences[r].length + 1);
          sequences[r][sequences[r].length - 1] = next[r][0];
        }
        logits = session.feed(next);
      }
      assertEquals(3 + steps, sequences[0].length);
    }
  }

  @Test
  void feedingAPromptAtOnceEqualsFeedingItTokenByToken() {
    int[][] prompt = TestFixtures.tokens(2, 6, VOCAB, 3);
    try (ImageFeatures features = stemModel.encoder().encode(TestFixtures.images(2, 32, 1));
        DecodingSession whole = stemModel.decoder().open(features, new int[] {0, 1});
        DecodingSession single = stemModel.decoder().open(features, new int[] {0, 1})) {
      float[][] a = whole.feed(prompt);
      float[][] b = null;
      for (int t = 0; t < 6; t++) {
        b = single.feed(new int[][] {{prompt[0][t]}, {prompt[1][t]}});
      }
      for (int r = 0; r < 2; r++) {
        assertTrue(maxAbsDiff(a[r], b[r]) < TOLERANCE);
      }
      float[][] a2 = whole.feed(new int[][] {{4, 5}, {6, 7}});
      single.feed(new int[][] {{4}, {6}});
      float[][] b2 = single.feed(new int[][] {{5}, {7}});
      for (int r = 0; r < 2; r++) {
        assertTrue(maxAbsDiff(a2[r], b2[r]) < TOLERANCE);
      }
    }
  }

  @Test
  void selectReordersAndDropsRowsLikeDecodingTheKeptRowsAlone() {
    int[][] prompt = TestFixtures.tokens(3, 4, VOCAB, 21);
    int[][] more = TestFixtures.tokens(3, 2, VOCAB, 22);
    try (ImageFeatures features = stemModel.encoder().encode(TestFixtures.images(3, 32, 2));
        DecodingSession all = stemModel.decoder().open(features, new int[] {0, 1, 2})) {
      all.feed(prompt);
      all.select(new int[] {2, 0, 2});
      assertEquals(3, all.rows());
      float[][] selected = all.feed(new int[][] {more[2], more[0], more[1]});
      try (DecodingSession alone = stemModel.decoder().open(features, new int[] {2, 0, 2})) {
        alone.feed(new int[][] {prompt[2], prompt[0], prompt[2]});
        float[][] expected = alone.feed(new int[][] {more[2], more[0], more[1]});
        for (int r = 0; r < 3; r++) {
          assertTrue(maxAbsDiff(expected[r], selected[r]) < TOLERANCE, "row " + r);
        }
      }
      all.select(new int[] {1});
      assertEquals(1, all.rows());
      float[][] last = all.feed(new int[][] {{9}});
      float[][][] full = stemModel.decoder().logits(features, new int[] {0},
          new int[][] {{prompt[0][0], prompt[0][1], prompt[0][2], prompt[0][3], more[0][0],
              more[0][1], 9}});
      assertTrue(maxAbsDiff(full[0][6], last[0]) < TOLERANCE);
      all.select(new int[0]);
      assertEquals(0, all.rows());
      assertEquals(0, all.feed(new int[0][]).length);
    }
  }

  @Test
  void selectBeforeTheFirstFeedPicksImageRows() {
    int[][] prompt = {{1, 2, 3}, {4, 5, 6}};
    try (ImageFeatures features = patchModel.encoder().encode(TestFixtures.images(2, 32, 12));
        DecodingSession selected = patchModel.decoder().open(features, new int[] {0, 1});
        DecodingSession direct = patchModel.decoder().open(features, new int[] {1, 1})) {
      selected.select(new int[] {1, 1});
      float[][] a = selected.feed(prompt);
      float[][] b = direct.feed(prompt);
      for (int r = 0; r < 2; r++) {
        assertArrayEquals(b[r], a[r]);
      }
    }
  }

  @Test
  void sessionsOverTheSameImageAgreeAcrossBatchComposition() {
    int[][] prompt = {{1, 2, 3}};
    try (ImageFeatures batch = patchModel.encoder().encode(TestFixtures.images(3, 32, 9));
        ImageFeatures single = patchModel.encoder().encode(
            TestFixtures.images(3, 32, 9).subList(1, 2));
        DecodingSession a = patchModel.decoder().open(batch, new int[] {1});
        DecodingSession b = patchModel.decoder().open(single, new int[] {0})) {
      assertTrue(maxAbsDiff(a.feed(prompt)[0], b.feed(prompt)[0]) < TOLERANCE);
    }
  }

  @Test
  void nativeMemoryStaysFlatOverThousandsOfFeeds() throws IOException {
    try (ImageFeatures features = stemModel.encoder().encode(TestFixtures.images(2, 32, 4))) {
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
    try (ImageFeatures features = stemModel.encoder().encode(TestFixtures.images(2, 32, 4))) {
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

  @Test
  void misuseFailsWithClearMessages() {
    ModelConfig config = patchModel.config();
    try (ImageFeatures features = patchModel.encoder().encode(TestFixtures.images(1, 32, 4));
        DecodingSession session = patchModel.decoder().open(features, new int[] {0})) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> session.feed(new int[][] {{VOCAB}}));
      assertTrue(e.getMessage().contains("outside [0, 50)"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> session.feed(new int[][] {{1}, {2}}));
      session.feed(new int[][] {new int[config.maxSequenceLength()]});
      e = assertThrows(IllegalArgumentException.class, () -> session.feed(new int[][] {{1}}));
      assertTrue(e.getMessage().contains("maxSequenceLength"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> session.select(new int[] {1}));
      assertThrows(IllegalArgumentException.class,
          () -> patchModel.decoder().open(features, new int[] {1}));
      assertThrows(IllegalArgumentException.class,
          () -> stemModel.decoder().open(features, new int[] {0}));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> patchModel.encoder().encode(TestFixtures.images(1, 16, 4)));
    assertTrue(e.getMessage().contains("3x32x32"), e.getMessage());
    ImageFeatures closed = patchModel.encoder().encode(TestFixtures.images(1, 32, 4));
    closed.close();
    assertThrows(IllegalStateException.class,
        () -> patchModel.decoder().open(closed, new int[] {0}));
  }

  @Test
  void sessionsOnSeveralThreadsAgreeWithOneThread() throws Exception {
    int[][] prompt = TestFixtures.tokens(2, 4, VOCAB, 5);
    try (ImageFeatures features = patchModel.encoder().encode(TestFixtures.images(2, 32, 8))) {
      float[][] expected = greedyLogits(features, prompt);
      ExecutorService pool = Executors.newFixedThreadPool(3);
      try {
        List<Future<float[][]>> results = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          results.add(pool.submit(() -> greedyLogits(features, prompt)));
        }
        for (Future<float[][]> result : results) {
          float[][] actual = result.get();
          for (int r = 0; r < 2; r++) {
            assertArrayEquals(expected[r], actual[r]);
          }
        }
      } finally {
        pool.shutdown();
      }
    }
  }

  private static float[][] greedyLogits(ImageFeatures features, int[][] prompt) {
    try (DecodingSession session = patchModel.decoder().open(features, new int[] {0, 1})) {
      float[][] logits = session.feed(prompt);
      for (int step = 0; step < 8; step++) {
        logits = session.feed(new int[][] {{argmax(logits[0])}, {argmax(logits[1])}});
      }
      return logits;
    }
  }

  @Test
  void closedModelFailsFast() {
    Pix2seqModel model = new TfBackend().create(TestFixtures.smallConfig(false), VOCAB,
        Device.CPU, 1);
    ImageFeatures features = model.encoder().encode(TestFixtures.images(1, 32, 4));
    DecodingSession session = model.decoder().open(features, new int[] {0});
    model.close();
    assertThrows(IllegalStateException.class, () -> session.feed(new int[][] {{1}}));
    assertThrows(IllegalStateException.class, model::encoder);
    session.close();
    features.close();
  }

  @Test
  void sameSeedGivesSameWeights() {
    try (Pix2seqModel a = new TfBackend().create(TestFixtures.smallConfig(true), VOCAB,
            Device.CPU, 7);
        ImageFeatures fa = a.encoder().encode(TestFixtures.images(2, 32, 3));
        ImageFeatures fb = stemModel.encoder().encode(TestFixtures.images(2, 32, 3))) {
      int[][] tokens = {{1, 2, 3}};
      assertArrayEquals(a.decoder().logits(fa, new int[] {1}, tokens)[0][2],
          stemModel.decoder().logits(fb, new int[] {1}, tokens)[0][2]);
    }
  }
}
