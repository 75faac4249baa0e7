package dev.pix2seq.demo.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.InferenceConfig;
import dev.pix2seq.api.model.Backend;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.data.coco.CocoAnnotation;
import dev.pix2seq.data.coco.CocoCaption;
import dev.pix2seq.demo.DemoFixtures;
import dev.pix2seq.runtime.backend.Backends;
import dev.pix2seq.runtime.predict.ImagePredictions;
import dev.pix2seq.runtime.predict.Pix2seqPredictor;
import dev.pix2seq.tasks.TaskContext;
import dev.pix2seq.tasks.TaskRegistry;
import dev.pix2seq.tokenizer.BpeTokenizer;
import dev.pix2seq.tokenizer.Vocabulary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluator on an untrained tiny model of the DJL backend: plumbing, not quality. */
class ModelEvaluatorTest {
  private static final List<String> ALL = ModelEvaluator.TASKS;

  @TempDir static Path shared;
  private static Path root;
  private static EvaluationDataset data;
  private static Pix2seqModel model;
  private static Pix2seqPredictor predictor;

  @TempDir Path tmp;

  @BeforeAll
  static void untrainedModel() throws Exception {
    Backends backends = Backends.discover();
    assumeTrue(backends.contains("djl"), "no djl backend on the class path");
    Backend backend = backends.select("djl");
    root = DemoFixtures.dataset(shared.resolve("data"), 31, 3);
    data = EvaluationDataset.read(root);
    Vocabulary vocab = new Vocabulary(Vocabulary.defaultLayout().withCoordBins(64),
        data.dataset().categories(), BpeTokenizer.train(data.captions().orElseThrow()
            .captions().stream().map(CocoCaption::caption).toList(), 100, 1));
    model = backend.create(DemoFixtures.TINY_MODEL, vocab.size(), Device.CPU, 7);
    InferenceConfig d = InferenceConfig.defaults();
    predictor = Pix2seqPredictor.of(model, new TaskContext(vocab, DemoFixtures.SHORT_TASKS),
        TaskRegistry.discover(ModelEvaluatorTest.class.getClassLoader()),
        new InferenceConfig(d.version(), "djl", Device.CPU, d.samplers(), 1, 8, 5));
  }

  @AfterAll
  static void close() {
    if (model != null) {
      model.close();
    }
  }

  @Test
  void everyTaskIsScoredWithBothPromptsAndWrittenOut() throws Exception {
    ModelEvaluation e = ModelEvaluator.builder().setPredictor(predictor, ALL)
        .setDataset(root).build().evaluate();
    assertEquals(List.of("bbox_AP", "segm_AP", "segm_AP_detected", "keypoints_AP",
        "keypoints_AP_detected", "BLEU-1", "BLEU-2", "BLEU-3", "BLEU-4", "CIDEr-D"),
        List.copyOf(e.metrics().keySet()));
    e.metrics().forEach((k, v) -> assertTrue(Double.isNaN(v) || v >= 0, k + " = " + v));
    assertEquals(3, e.imageIds().size());

    List<ImagePredictions> byTruth = e.predictions(BoxSource.GROUND_TRUTH);
    List<ImagePredictions> byDetections = e.predictions(BoxSource.DETECTIONS);
    assertEquals(3, byTruth.size());
    assertEquals(3, byDetections.size());
    for (int i = 0; i < 3; i++) {
      ImagePredictions p = byTruth.get(i);
      List<CocoAnnotation> truth = data.dataset().annotationsOf(p.imageId());
      assertEquals(truth.size(), p.masks().size(), "a mask per ground-truth box");
      assertEquals(truth.stream().filter(a -> a.keypoints() != null).count(),
          p.keypoints().size(), "keypoints per ground-truth person");
      assertEquals(1, p.captions().size());
      ImagePredictions q = byDetections.get(i);
      assertEquals(p.detections(), q.detections());
      assertEquals(q.detections().size(), q.masks().size(), "a mask per detection");
    }

    List<Path> files = e.writeAll(tmp);
    for (String name : List.of("results-bbox.json", "results-segm-gt-boxes.json",
        "results-segm-detected.json", "results-keypoints-gt-boxes.json",
        "results-keypoints-detected.json", "results-captions.json", "metrics.json",
        "pr-bbox.png", "pr-segm-gt-boxes.png", "pr-keypoints-detected.png")) {
      assertTrue(files.contains(tmp.resolve(name)), name);
      assertTrue(Files.size(tmp.resolve(name)) > 0, name);
    }
    assertNotNull(ImageIO.read(tmp.resolve("pr-bbox.png").toFile()));
    JsonNode metrics = new ObjectMapper().readTree(tmp.resolve("metrics.json").toFile());
    assertEquals(3, metrics.get("images").asInt());
    assertEquals(12, metrics.get("coco").get("segm-detected").get("stats").size());
    assertEquals(10, metrics.get("coco").get("keypoints-gt-boxes").get("stats").size());
    assertTrue(metrics.get("metrics").has("CIDEr-D"));
    assertFalse(e.summary().isBlank());
  }

  @Test
  void aSubsetOfTasksOnTheFirstImagesIsReproducible() throws Exception {
    ModelEvaluator evaluator = ModelEvaluator.builder().setPredictor(predictor, ALL)
        .setDataset(data).optTasks(List.of("describe", "segment")).optImageLimit(1).build();
    assertEquals(List.of("segment", "describe"), evaluator.tasks());
    ModelEvaluation a = evaluator.evaluate();
    assertEquals(List.of("segm_AP", "BLEU-1", "BLEU-2", "BLEU-3", "BLEU-4", "CIDEr-D"),
        List.copyOf(a.metrics().keySet()), "no detections, so no own-detection prompts");
    assertEquals(List.of(data.dataset().images().get(0).id()),
        a.imageIds());
    assertTrue(a.predictions(BoxSource.DETECTIONS).isEmpty());
    assertTrue(a.detection().isEmpty());
    Map<String, Double> again = evaluator.evaluate().metrics();
    assertEquals(a.metrics(), again);
  }

  @Test
  void theBuilderNamesWhatIsWrong() {
    assertMessage("the model was trained on [detect]", () -> ModelEvaluator.builder()
        .setPredictor(predictor, List.of("detect")).setDataset(root)
        .optTasks(List.of("describe")).build());
    assertMessage("an evaluator scores", () -> ModelEvaluator.builder()
        .setPredictor(predictor, ALL).setDataset(root).optTasks(List.of("count")).build());
    assertMessage("needs a dataset", () -> ModelEvaluator.builder()
        .setPredictor(predictor, ALL).build());
    assertMessage("image limit must be >= 1", () -> ModelEvaluator.builder()
        .setPredictor(predictor, ALL).setDataset(root).optImageLimit(0).build());
    assertMessage("a ready predictor has its own", () -> ModelEvaluator.builder()
        .setPredictor(predictor, ALL).setDataset(root)
        .optInferenceConfig(InferenceConfig.defaults()).build());
    assertMessage("either a checkpoint or a predictor", () -> ModelEvaluator.builder()
        .setDataset(root).build());
    assertMessage("none of the tasks", () -> ModelEvaluator.builder()
        .setPredictor(predictor, List.of("count")).setDataset(root).build());
  }

  private static void assertMessage(String part, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
