package dev.pix2seq.runtime.train;

import dev.pix2seq.api.ConfigException;
import dev.pix2seq.api.vocab.VocabLayout;
import dev.pix2seq.tasks.describe.CaptionCodec;
import dev.pix2seq.tokenizer.BpeTokenizer;
import dev.pix2seq.tokenizer.TextTokenizer;
import dev.pix2seq.tokenizer.Vocabulary;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vocabulary of a new model: the given base layout (plug-in tasks get the first free task
 * slots), the dataset's categories in file order, and, when {@code describe} is trained, a BPE
 * tokenizer trained on the dataset's captions (else a tokenizer of the unknown token alone).
 */
final class TrainingVocabulary {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingVocabulary.class);

  /** Pairs seen fewer times than this are not merged. */
  static final int MIN_PAIR_FREQUENCY = 2;

  private TrainingVocabulary() {}

  static Vocabulary build(TrainingData data, List<String> tasks, int textVocabSize)
      throws ConfigException {
    return build(data, tasks, textVocabSize, Vocabulary.defaultLayout());
  }

  static Vocabulary build(
      TrainingData data, List<String> tasks, int textVocabSize, VocabLayout baseLayout)
      throws ConfigException {
    VocabLayout layout = baseLayout;
    for (String task : tasks) {
      if (!layout.taskTokens().containsKey(task)) {
        layout = layout.withTask(task, freeTaskSlot(layout, task));
      }
    }
    TextTokenizer text;
    if (tasks.contains(CaptionCodec.NAME)) {
      text = BpeTokenizer.train(data.captions(), textVocabSize, MIN_PAIR_FREQUENCY);
      LOG.info("caption tokenizer: {} tokens learned from {} captions (at most {})", text.size(),
          data.captions().size(), textVocabSize);
    } else {
      text = BpeTokenizer.of(List.of(BpeTokenizer.UNK_TOKEN), List.of());
    }
    try {
      Vocabulary v = new Vocabulary(layout, data.dataset().categories(), text);
      LOG.info("vocabulary: {} tokens ({} categories, {} text tokens)", v.size(),
          v.categories().size(), text.size());
      return v;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(data.root() + ": the dataset's categories do not fit the "
          + "vocabulary layout: " + e.getMessage(), e);
    }
  }

  private static int freeTaskSlot(VocabLayout layout, String task) throws ConfigException {
    for (int t = layout.taskBase(); t < layout.taskBase() + layout.taskSlots(); t++) {
      if (!layout.taskTokens().containsValue(t)) {
        return t;
      }
    }
    throw new ConfigException("no free task token for task '" + task + "': the layout's "
        + layout.taskSlots() + " task slots are taken by " + layout.taskTokens().keySet());
  }
}
