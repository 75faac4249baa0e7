package dev.pix2seq.djl;

import static dev.pix2seq.api.testing.ModelFixtures.VOCAB;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.model.DecodingSession;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.testing.ModelFixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What only the DJL engine can show about decoding: that its native memory stays flat. The
 * behaviour every backend shares (cached against recomputed logits, select, misuse, threads) is
 * checked by the contract suite in pix2seq-backend-tests.
 */
class DecodingTest {

  // Tests encode at least two images with the conv-stem model: PyTorch logs an NNPACK warning
  // for every batch-1 3x3 convolution of fewer than 20480 input values (only toy image sizes).
  private static Pix2seqModel stemModel;

  @BeforeAll
  static void createModels() {
    stemModel = new DjlBackend().create(ModelFixtures.smallConfig(true), VOCAB, Device.CPU, 7);
  }

  @AfterAll
  static void closeModels() {
    stemModel.close();
  }

  @Test
  void memoryStaysFlatOverThousandsOfFeeds() {
    DjlModel model = (DjlModel) stemModel;
    try (ImageFeatures features = model.encode(ModelFixtures.images(2, 32, 4))) {
      int before = -1;
      for (int round = 0; round < 2; round++) {
        try (DecodingSession session = model.open(features, new int[] {0, 1})) {
          session.feed(new int[][] {{1, 2}, {3, 4}});
          if (round == 1) {
            before = model.manager().getManagedArrays().size();
          }
          for (int i = 0; i < 1000; i++) {
            session.feed(new int[][] {{i % VOCAB}, {(i * 7) % VOCAB}});
            session.select(new int[] {1, 0});
            if (i % 20 == 19) {
              session.close();
              break;
            }
          }
        }
      }
      int baseline = model.manager().getManagedArrays().size();
      for (int repeat = 0; repeat < 100; repeat++) {
        try (DecodingSession session = model.open(features, new int[] {0, 1})) {
          session.feed(new int[][] {{1, 2}, {3, 4}});
          for (int i = 0; i < 20; i++) {
            session.feed(new int[][] {{i % VOCAB}, {(i * 7) % VOCAB}});
            if (i == 10) {
              session.select(new int[] {1, 0});
            }
          }
          if (repeat == 99) {
            assertEquals(before, model.manager().getManagedArrays().size(),
                "live arrays inside a session after 20 feeds");
          }
        }
      }
      assertEquals(baseline, model.manager().getManagedArrays().size(),
          "live arrays after 2000 feeds in 100 sessions");
    }
  }
}
