package dev.pix2seq.runtime.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pix2seq.api.config.InferenceConfig;
import dev.pix2seq.api.generation.GenerationRequest;
import dev.pix2seq.api.generation.SequenceGenerator;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.sampling.SamplerSpec;
import dev.pix2seq.api.task.ConstraintState;
import dev.pix2seq.api.task.SequenceConstraint;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.api.vocab.TokenSet;
import dev.pix2seq.tasks.TaskContext;
import dev.pix2seq.tokenizer.Vocabulary;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The default generator (the API's {@link SequenceGenerator}) gives the same results as the
 * stepwise test generator on a scripted model whose every token is certain. Skipped while the
 * API's generator is a placeholder.
 */
class SequenceGeneratorSmokeTest {

  @Test
  void theApiGeneratorDrivesThePipeline() {
    Vocabulary vocab = PredictFixtures.vocabulary();
    ScriptedModel model =
        new ScriptedModel(PredictFixtures.modelConfig(), vocab.size(), new SceneScript(vocab));
    assumeTrue(implemented(model, vocab.layout().eos()), "SequenceGenerator is a placeholder");
    InferenceConfig config = PredictFixtures.inference(4, 0);
    ImageTensor image = PredictFixtures.gradient(SceneScript.WIDTH, SceneScript.HEIGHT);

    ImagePredictions real = Pix2seqPredictor.of(model, TaskContext.of(vocab),
        PredictFixtures.registry(), config).predict(1, image, Pix2seqPredictor.BUILT_IN_TASKS);
    ImagePredictions reference = Pix2seqPredictor.builder().setModel(model)
        .setContext(TaskContext.of(vocab)).setRegistry(PredictFixtures.registry())
        .optConfig(config)
        .optGenerator(new StepwiseGenerator(model.decoder(), vocab.layout().eos()))
        .build().predict(1, image, Pix2seqPredictor.BUILT_IN_TASKS);

    assertEquals(reference.detections().stream().map(d -> d.box()).toList(),
        real.detections().stream().map(d -> d.box()).toList());
    assertEquals(reference.masks().stream().map(MaskPrediction::mask).toList(),
        real.masks().stream().map(MaskPrediction::mask).toList());
    assertEquals(
        reference.keypoints().stream().map(k -> k.keypoints().toCocoArray()[0]).toList(),
        real.keypoints().stream().map(k -> k.keypoints().toCocoArray()[0]).toList());
    assertEquals(reference.captions().get(0).text(), real.captions().get(0).text());
  }

  private static boolean implemented(ScriptedModel model, int eos) {
    try (ImageFeatures f = model.encoder().encode(List.of(PredictFixtures.flat(64, 64, 0.5f)))) {
      new SequenceGenerator(model.decoder(), eos).generate(f,
          List.of(new GenerationRequest(0, new int[] {13}, onlyEos(eos), 1)),
          SamplerSpec.greedy(), new SplittableRandom(0));
      return true;
    } catch (UnsupportedOperationException e) {
      return false;
    }
  }

  private static SequenceConstraint onlyEos(int eos) {
    return () -> new ConstraintState() {
      @Override
      public TokenSet allowed() {
        return TokenSet.ofTokens(eos);
      }

      @Override
      public ConstraintState advance(int token) {
        return this;
      }
    };
  }
}
