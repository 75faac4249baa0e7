package dev.pix2seq.runtime.predict;

import static dev.pix2seq.runtime.predict.PredictFixtures.CAR;
import static dev.pix2seq.runtime.predict.PredictFixtures.DOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Detection;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.api.vocab.VocabLayout;
import dev.pix2seq.tasks.TaskContext;
import dev.pix2seq.tokenizer.Vocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The model names the object in a given box from its detection's next class token. */
class ClassifyBoxesTest {
  private final Vocabulary vocab = PredictFixtures.vocabulary();
  private final ImageTensor image = PredictFixtures.gradient(64, 64);
  private final List<int[]> seen = new ArrayList<>();

  /** After [detect] and four coordinates: a dog left of the middle, a car right of it. */
  private ScriptedModel model() {
    return new ScriptedModel(PredictFixtures.modelConfig(), vocab.size(), (img, tokens) -> {
      if (tokens.length != 5) {
        return null;
      }
      seen.add(tokens.clone());
      double xMin = vocab.coordValue(tokens[2]);
      return new ScriptedModel.Forced(vocab.classToken(xMin < 0.5 ? DOG : CAR), 5f);
    });
  }

  @Test
  void eachBoxGetsTheMostLikelyCategoryAndItsProbability() {
    Pix2seqPredictor predictor = Pix2seqPredictor.of(model(), TaskContext.of(vocab),
        PredictFixtures.registry(), PredictFixtures.inference(4, 0));

    List<Detection> named = predictor.classify(image, List.of(
        new BoundingBox(4, 8, 20, 40), new BoundingBox(40, 8, 90, 40)));

    assertEquals(DOG, named.get(0).categoryId());
    assertEquals(CAR, named.get(1).categoryId());
    assertEquals(new BoundingBox(40, 8, 64, 40), named.get(1).box(), "clipped to the image");
    // logit 5 against 0 for every other token of the vocabulary
    double p = Math.exp(5) / (Math.exp(5) + vocab.size() - 1);
    assertEquals(p, named.get(0).score(), 1e-6);
    int[] prefix = seen.get(0);
    assertEquals(vocab.taskToken("detect"), prefix[0]);
    assertEquals(vocab.coordToken(8 / 64.0), prefix[1], "ymin first, normalised over the input");
    assertEquals(vocab.coordToken(4 / 64.0), prefix[2]);
  }

  @Test
  void aModelThatDoesNotDetectCannotNameBoxes() {
    VocabLayout l = vocab.layout();
    VocabLayout captionsOnly = new VocabLayout(l.version(), l.pad(), l.eos(), l.taskBase(),
        l.taskSlots(), Map.of("describe", 13), l.fake(), l.sep(), l.invisible(), l.classBase(),
        l.maxClasses(), l.coordBase(), l.coordBins(), l.textBase());
    Vocabulary describeOnly =
        new Vocabulary(captionsOnly, vocab.categories(), vocab.textTokenizer());
    Pix2seqPredictor predictor = Pix2seqPredictor.of(model(), TaskContext.of(describeOnly),
        PredictFixtures.registry(), PredictFixtures.inference(4, 0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> predictor.classify(image, List.of(new BoundingBox(1, 1, 9, 9))));
    assertTrue(e.getMessage().contains("not trained to detect"), e.getMessage());
  }
}
