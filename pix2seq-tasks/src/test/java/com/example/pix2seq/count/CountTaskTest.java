package com.example.pix2seq.count;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.task.TrainingSequence;
import dev.pix2seq.api.value.TokenSequence;
import dev.pix2seq.api.vocab.VocabLayout;
import dev.pix2seq.tasks.TaskContext;
import dev.pix2seq.tasks.TaskRegistry;
import dev.pix2seq.tasks.testing.TestVocabularies;
import dev.pix2seq.tokenizer.Vocabulary;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A fifth task added without touching pix2seq's code: discovered, wired, usable. */
class CountTaskTest {

  private final TaskRegistry tasks =
      TaskRegistry.discover(CountTaskTest.class.getClassLoader());
  private final VocabLayout layout = Vocabulary.defaultLayout().withTask(CountCodec.NAME, 14);
  private final Vocabulary vocab = TestVocabularies.withLayout(layout);

  @Test
  void discoveryFindsTheFourBuiltInTasksAndTheUsersTask() {
    assertEquals(Set.of("count", "describe", "detect", "keypoint", "segment"), tasks.taskNames());
    assertEquals(List.of("count", "describe", "detect", "keypoint", "segment"),
        List.copyOf(tasks.taskNames()));
  }

  @Test
  void theUsersCodecComesFromTheRegistryWithInjectedDefaults() {
    CountCodec codec = tasks.codec("count", TaskContext.of(vocab), CountCodec.class);
    for (int n : new int[] {0, 1, 7, 50}) {
      TrainingSequence ts = codec.trainingSequence(n, new SplittableRandom(1));
      assertEquals(14, ts.prompt()[0]);
      assertTrue(codec.constraint(new CountRequest()).accepts(ts.target()));
      assertEquals(n, codec.decode(new CountRequest(), TokenSequence.of(ts.target())).count());
    }
    TrainingSequence clipped = codec.trainingSequence(80, new SplittableRandom(1));
    assertEquals(50, codec.decode(new CountRequest(), TokenSequence.of(clipped.target())).count());
  }

  @Test
  void contextOptionsOverrideTheInjectedDefaults() {
    TaskContext context = TaskContext.of(vocab).withOptions("count", new CountOptions(5));
    CountCodec codec = tasks.codec("count", context, CountCodec.class);
    TrainingSequence ts = codec.trainingSequence(9, new SplittableRandom(1));
    assertEquals(5, codec.decode(new CountRequest(), TokenSequence.of(ts.target())).count());
  }

  @Test
  void builtInTasksStillWorkBesideIt() {
    for (String name : List.of("detect", "segment", "keypoint", "describe")) {
      assertEquals(name, tasks.codec(name, TaskContext.of(vocab)).name());
    }
  }

  @Test
  void theTaskNeedsItsTokenInTheLayout() {
    TaskContext plain = TaskContext.of(TestVocabularies.standard());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> tasks.codec("count", plain));
    assertTrue(e.getMessage().contains("count"), e.getMessage());
  }
}
