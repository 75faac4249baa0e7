package dev.pix2seq.runtime.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pix2seq.api.value.Caption;
import dev.pix2seq.tokenizer.TextTokenizer;
import dev.pix2seq.tokenizer.Vocabulary;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The official ids-to-text rule (docs/official-task-conventions.md section 4.3). */
class OfficialCaptioningTest {

  /** A tokenizer of 50 ids that writes the ids it is given. */
  private static final TextTokenizer IDS = new TextTokenizer() {
    @Override
    public int size() {
      return 50;
    }

    @Override
    public String normalize(String text) {
      return text;
    }

    @Override
    public int[] encode(String text) {
      return new int[0];
    }

    @Override
    public String decode(int[] ids) {
      return Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(" "));
    }

    @Override
    public void save(Path tokenizerJson) {}
  };

  @Test
  void everyIdIsShiftedAndClippedAndTheScoreStopsAtPadding() {
    int[] tokens = {3010, 3020, 3001, 0, 1200, 3999, 0};
    double[] probabilities = {0.5, 0.25, 0.75, 0.9, 0.1, 0.1, 0.1};
    Caption c = OfficialCaptioning.caption(
        tokens, probabilities, Vocabulary.defaultLayout(), IDS);
    assertEquals("10 20 1 0 0 49 0", c.text(),
        "0 stays 0, others minus 3000, clipped to the tokenizer's ids; nothing is cut at EOS");
    assertEquals(0.5, c.score(), 1e-12, "the mean probability before the first padding token");
  }
}
