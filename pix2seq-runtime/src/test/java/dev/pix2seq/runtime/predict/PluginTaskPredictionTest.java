package dev.pix2seq.runtime.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pix2seq.api.sampling.SamplerSpec;
import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.tasks.TaskContext;
import dev.pix2seq.tokenizer.Vocabulary;
import java.util.List;
import org.junit.jupiter.api.Test;

class PluginTaskPredictionTest {

  @Test
  void aRegisteredPluginTaskRunsWithoutPipelineCode() {
    Vocabulary vocab = PredictFixtures.vocabulary(
        Vocabulary.defaultLayout().withTask(CountingTask.NAME, 14));
    int eos = vocab.layout().eos();
    // The count is ten times the image's grey level.
    ScriptedModel model = new ScriptedModel(PredictFixtures.modelConfig(), vocab.size(),
        (image, tokens) -> ScriptedModel.Forced.certain(tokens.length == 1
            ? vocab.layout().coordBase() + Math.round(image.get(0, 0, 0) * 10)
            : eos));
    CannedOrStepwise generator = new CannedOrStepwise(model, eos);
    Pix2seqPredictor predictor = Pix2seqPredictor.builder().setModel(model)
        .setContext(TaskContext.of(vocab))
        .setRegistry(PredictFixtures.registry(new CountingTask.Plugin()))
        .optConfig(PredictFixtures.inference(2, 0)).optGenerator(generator).build();

    CountingTask.Codec codec = predictor.codec(CountingTask.NAME, CountingTask.Codec.class);
    ImageTensor three = PredictFixtures.flat(30, 20, 0.3f);
    assertEquals(List.of(3), predictor.run(codec, three, List.of(new CountingTask.CountRequest())));
    List<List<Integer>> all = predictor.runAll(codec,
        List.of(three, PredictFixtures.flat(20, 30, 0.7f), three),
        List.of(List.of(new CountingTask.CountRequest(), new CountingTask.CountRequest()),
            List.of(new CountingTask.CountRequest()), List.of()));
    assertEquals(List.of(List.of(3, 3), List.of(7), List.of()), all);
    assertEquals(SamplerSpec.greedy(), generator.lastSampler, "unknown tasks decode greedily");

    // Normalised geometry of a plug-in's result maps back through prepare().
    ModelInput input = predictor.prepare(PredictFixtures.flat(200, 100, 0.5f));
    assertEquals(new BoundingBox(0, 0, 200, 200), input.toSource(new BoundingBox(0, 0, 1, 1)));
  }

  /** A stepwise generator that remembers the last sampler it was given. */
  private static final class CannedOrStepwise implements ResponseGenerator {
    private final StepwiseGenerator inner;
    volatile SamplerSpec lastSampler;

    CannedOrStepwise(ScriptedModel model, int eos) {
      this.inner = new StepwiseGenerator(model.decoder(), eos);
    }

    @Override
    public List<dev.pix2seq.api.value.TokenSequence> generate(
        dev.pix2seq.api.model.ImageFeatures features,
        List<dev.pix2seq.api.generation.GenerationRequest> requests, SamplerSpec sampler,
        java.util.random.RandomGenerator rng) {
      lastSampler = sampler;
      return inner.generate(features, requests, sampler, rng);
    }
  }
}
