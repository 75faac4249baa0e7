package dev.pix2seq.runtime.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pix2seq.api.value.Detection;
import dev.pix2seq.api.vocab.VocabLayout;
import dev.pix2seq.tokenizer.Vocabulary;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The official post-processing of a detection response, on the test vector the official code
 * gave (docs/official-task-conventions.md section 1.3, run with TensorFlow 2.21).
 */
class OfficialDetectionTest {

  @Test
  void slotsBecomeDetectionsAsInTheOfficialCode() {
    VocabLayout layout = Vocabulary.defaultLayout();
    int vocab = 3000;
    float[] first = new float[vocab];
    float[] second = new float[vocab];
    Arrays.fill(first, -5);
    Arrays.fill(second, -5);
    first[101] = 5;
    second[0] = 10;
    second[30] = 8;
    second[130] = -1;
    int[] tokens = {1100, 1200, 1500, 1600, 101, 0, 0, 0, 0, 0};

    List<Detection> found =
        OfficialDetection.decode(tokens, new float[][] {first, second}, layout);

    assertEquals(2, found.size(), "the padding slot is a detection too");
    assertEquals(1, found.get(0).categoryId());
    assertEquals(0.8801614, found.get(0).score(), 1e-6);
    assertEquals(0.1001001, found.get(0).box().yMin(), 1e-6);
    assertEquals(0.2002002, found.get(0).box().xMin(), 1e-6);
    assertEquals(0.5005005, found.get(0).box().yMax(), 1e-6);
    assertEquals(0.6006006, found.get(0).box().xMax(), 1e-6);
    assertEquals(30, found.get(1).categoryId(), "the class is the argmax over class tokens only");
    assertEquals(1.4698687e-05, found.get(1).score(), 1e-10);
    assertEquals(0, found.get(1).box().area(), "coordinates below the range clip to 0");
  }

  @Test
  void classZeroIsDropped() {
    VocabLayout layout = Vocabulary.defaultLayout();
    float[] logits = new float[3500];
    logits[100] = 3;
    List<Detection> found = OfficialDetection.decode(
        new int[] {1100, 1200, 1500, 1600, 100}, new float[][] {logits}, layout);
    assertEquals(List.of(), found);
  }
}
