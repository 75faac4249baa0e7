package dev.pix2seq.runtime.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pix2seq.api.value.Caption;
import dev.pix2seq.tasks.TaskContext;
import dev.pix2seq.tokenizer.Vocabulary;
import java.util.List;
import org.junit.jupiter.api.Test;

class DescribePredictionTest {
  private final Vocabulary vocab = PredictFixtures.vocabulary();

  @Test
  void captionsAreDecodedThroughTheTextTokenizer() {
    int eos = vocab.layout().eos();
    // Image brightness picks the caption, so batching cannot mix them up.
    int[] bright = vocab.textTokens("a dog riding a red car");
    int[] dark = vocab.textTokens("the car on the street");
    ScriptedModel model = new ScriptedModel(PredictFixtures.modelConfig(), vocab.size(),
        (image, tokens) -> {
          int[] text = image.get(0, 0, 0) > 0.5f ? bright : dark;
          int t = tokens.length - 1;
          return ScriptedModel.Forced.certain(t < text.length ? text[t] : eos);
        });
    Pix2seqPredictor predictor = Pix2seqPredictor.builder().setModel(model)
        .setContext(TaskContext.of(vocab)).setRegistry(PredictFixtures.registry())
        .optConfig(PredictFixtures.inference(2, 0))
        .optGenerator(new StepwiseGenerator(model.decoder(), eos)).build();

    Caption one = predictor.describe(PredictFixtures.flat(40, 30, 0.9f));
    assertEquals("a dog riding a red car", one.text());
    assertEquals(1, one.score(), 1e-6);
    List<Caption> all = predictor.describeAll(List.of(
        PredictFixtures.flat(40, 30, 0.1f), PredictFixtures.flat(30, 40, 0.9f),
        PredictFixtures.flat(40, 40, 0.2f)));
    assertEquals(List.of("the car on the street", "a dog riding a red car",
        "the car on the street"), all.stream().map(Caption::text).toList());
  }
}
