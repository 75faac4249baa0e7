package dev.pix2seq.runtime.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.inject.Guice;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.generation.GenerationRequest;
import dev.pix2seq.api.generation.SequenceGenerator;
import dev.pix2seq.api.model.Backend;
import dev.pix2seq.api.model.BackendProvider;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.sampling.SamplerSpec;
import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Caption;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.data.image.ImageFiles;
import dev.pix2seq.tasks.TaskContext;
import dev.pix2seq.tasks.detect.DetectionCodec;
import dev.pix2seq.tasks.detect.DetectRequest;
import dev.pix2seq.tokenizer.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every task end to end on an untrained tiny model of the real DJL backend (found through
 * {@link BackendProvider}, so this compiles against the API alone): nothing may throw, every
 * result must be well formed. Skipped while the backend or the API's generator is missing.
 */
class UntrainedDjlSmokeTest {
  @TempDir Path dir;

  @Test
  void everyTaskRunsEndToEnd() throws IOException {
    Optional<BackendProvider> djl = ServiceLoader.load(BackendProvider.class).stream()
        .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("djl")).findFirst();
    assumeTrue(djl.isPresent(), "the DJL backend is not on the test class path yet");
    Backend backend = Guice.createInjector(djl.get().module()).getInstance(Backend.class);
    Vocabulary vocab = PredictFixtures.vocabulary();
    ModelConfig config = new ModelConfig(ModelConfig.CURRENT_VERSION, "smoke", 32, 8, false, 1,
        32, 2, 64, 1, 32, 2, 64, 48, 0, 0, 1e-6);
    try (Pix2seqModel model = backend.create(config, vocab.size(), Device.CPU, 1)) {
      assumeTrue(generatorImplemented(model, vocab), "SequenceGenerator is a placeholder");
      Pix2seqPredictor predictor = Pix2seqPredictor.of(model, TaskContext.of(vocab),
          PredictFixtures.registry(), PredictFixtures.inference(2, 5));
      List<ImageTensor> images = List.of(PredictFixtures.gradient(60, 40),
          PredictFixtures.gradient(30, 50), PredictFixtures.flat(32, 32, 0.6f));

      List<ImagePredictions> all = predictor.predictAll(List.of(1L, 2L, 3L), images,
          Pix2seqPredictor.BUILT_IN_TASKS);
      assertEquals(3, all.size());
      for (ImagePredictions p : all) {
        assertEquals(p.detections().size(), p.masks().size());
        assertEquals(1, p.captions().size());
      }
      ObjectInstance person =
          ObjectInstance.of(new BoundingBox(5, 5, 25, 35), PredictFixtures.PERSON);
      List<MaskPrediction> masks = predictor.segment(images.get(1), List.of(person));
      assertEquals(50, masks.get(0).mask().height());
      assertEquals(30, masks.get(0).mask().width());
      List<KeypointPrediction> keypoints = predictor.keypoints(images.get(1), List.of(person));
      assertEquals(PredictFixtures.PERSON_SCHEMA.size(),
          keypoints.get(0).keypoints().points().size());
      Caption caption = predictor.describe(images.get(0));
      assertTrue(caption.score() >= 0 && caption.score() <= 1);
      DetectionCodec codec = predictor.codec("detect", DetectionCodec.class);
      assertEquals(1, predictor.run(codec, images.get(2), List.of(DetectRequest.ALL_OBJECTS))
          .size());

      CocoResultsWriter.write(dir.resolve("bbox.json"), CocoResultsWriter.boxes(all));
      CocoResultsWriter.write(dir.resolve("segm.json"), CocoResultsWriter.masks(all));
      CocoResultsWriter.write(dir.resolve("keypoints.json"), CocoResultsWriter.keypoints(all));
      CocoResultsWriter.write(dir.resolve("captions.json"), CocoResultsWriter.captions(all));
      new PredictionPainter(vocab.categories(), 128).writePng(
          ImageFiles.toBufferedImage(images.get(0)), all.get(0), dir.resolve("1.png"));
      assertTrue(Files.size(dir.resolve("1.png")) > 0);
    }
  }

  private static boolean generatorImplemented(Pix2seqModel model, Vocabulary vocab) {
    DetectionCodec codec = PredictFixtures.registry()
        .codec("detect", TaskContext.of(vocab), DetectionCodec.class);
    try (ImageFeatures f = model.encoder().encode(List.of(ImageTensor.zeros(32, 32)))) {
      new SequenceGenerator(model.decoder(), vocab.layout().eos()).generate(f,
          List.of(new GenerationRequest(0, codec.prompt(DetectRequest.ALL_OBJECTS),
              codec.constraint(DetectRequest.ALL_OBJECTS), 1)),
          SamplerSpec.greedy(), new SplittableRandom(0));
      return true;
    } catch (UnsupportedOperationException e) {
      return false;
    }
  }
}
