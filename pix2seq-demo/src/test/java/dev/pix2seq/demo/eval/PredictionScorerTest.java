package dev.pix2seq.demo.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.DatasetException;
import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Detection;
import dev.pix2seq.data.coco.CocoImage;
import dev.pix2seq.demo.DemoFixtures;
import dev.pix2seq.eval.caption.CaptionEvaluation;
import dev.pix2seq.eval.coco.CocoEvalParams;
import dev.pix2seq.eval.coco.CocoEvalResult;
import dev.pix2seq.eval.coco.CocoEvaluator;
import dev.pix2seq.runtime.predict.CocoResultsWriter;
import dev.pix2seq.runtime.predict.ImagePredictions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scoring path on predictions made from the ground truth: no model involved. */
class PredictionScorerTest {
  @TempDir static Path shared;
  private static EvaluationDataset data;
  private static List<Long> ids;

  @TempDir Path tmp;

  @BeforeAll
  static void writeDataset() throws Exception {
    data = EvaluationDataset.read(DemoFixtures.dataset(shared.resolve("data"), 21, 8));
    ids = data.dataset().images().stream().map(CocoImage::id).toList();
    long people = data.dataset().annotations().stream()
        .filter(a -> a.keypoints() != null && a.keypoints().labeledCount() > 0).count();
    assertTrue(people > 0, "the fixture needs persons with labeled keypoints");
  }

  @Test
  void groundTruthAsResultsScoresAPerfectOneOnEveryCocoTask() throws Exception {
    PredictionScorer scorer = new PredictionScorer(data, ids);
    List<ImagePredictions> perfect = GroundTruthPredictions.perfect(data, ids);
    assertEquals(1.0, scorer.detections(perfect).ap(), 1e-12);
    assertEquals(1.0, scorer.masks(BoxSource.GROUND_TRUTH, perfect).ap(), 1e-12);
    assertEquals(1.0, scorer.keypoints(BoxSource.GROUND_TRUTH, perfect).ap(), 1e-12);
  }

  @Test
  void referenceCaptionsScoreBleuOneAndAPositiveCider() throws Exception {
    CaptionScore s = new PredictionScorer(data, ids)
        .captions(GroundTruthPredictions.perfect(data, ids));
    Map<String, Double> m = s.metrics();
    assertEquals(1.0, m.get(CaptionEvaluation.BLEU_1), 1e-6);
    assertEquals(1.0, m.get(CaptionEvaluation.BLEU_4), 1e-6);
    assertTrue(m.get(CaptionEvaluation.CIDER_D) > 0, "CIDEr-D " + m);
    assertEquals(ids.size(), s.evaluation().imageCount());
    assertEquals(ids.size(), s.results().size());
  }

  @Test
  void spoiledPredictionsScoreBelowOne() throws Exception {
    PredictionScorer scorer = new PredictionScorer(data, ids);
    List<ImagePredictions> spoiled = GroundTruthPredictions.spoiled(data, ids);
    double box = scorer.detections(spoiled).ap();
    double mask = scorer.masks(BoxSource.DETECTIONS, spoiled).ap();
    double keypoints = scorer.keypoints(BoxSource.DETECTIONS, spoiled).ap();
    for (double ap : new double[] {box, mask, keypoints}) {
      assertTrue(ap > 0 && ap < 1, "AP " + ap);
    }
  }

  @Test
  void inMemoryScoresEqualPycocotoolsOnTheWrittenResultsFiles() throws Exception {
    PredictionScorer scorer = new PredictionScorer(data, ids);
    List<ImagePredictions> spoiled = GroundTruthPredictions.spoiled(data, ids);
    List<CocoScore> scores = List.of(scorer.detections(spoiled),
        scorer.masks(BoxSource.GROUND_TRUTH, spoiled),
        scorer.keypoints(BoxSource.GROUND_TRUTH, spoiled));
    for (CocoScore s : scores) {
      Path file = tmp.resolve(s.fileStem() + ".json");
      CocoResultsWriter.write(file, s.results());
      CocoEvalParams.Builder params = CocoEvalParams.builder(s.iouType()).optImgIds(ids);
      data.dataset().categories().stream().filter(c -> c.keypoints() != null).forEach(c ->
          params.optCategoryKptOksSigmas(c.id(), KeypointSigmas.forSchema(c.keypoints()).get()));
      CocoEvalResult fromFile =
          new CocoEvaluator(1).evaluate(data.instancesFile(), file, params.build());
      assertArrayEquals(fromFile.stats(), s.evaluation().stats(), s.title());
    }
  }

  @Test
  void noPredictionsScoreZeroWhereThereIsGroundTruth() throws Exception {
    PredictionScorer scorer = new PredictionScorer(data, ids);
    List<ImagePredictions> none = ids.stream().map(ImagePredictions::empty).toList();
    assertEquals(0.0, scorer.detections(none).ap());
    assertEquals(0.0, scorer.masks(BoxSource.GROUND_TRUTH, none).ap());
    CaptionScore captions = scorer.captions(none);
    assertEquals(0.0, captions.metrics().get(CaptionEvaluation.BLEU_4), 1e-9);
    assertEquals(ids.size(), captions.evaluation().imageCount(), "missing captions score as "
        + "empty ones");
  }

  @Test
  void onlyTheGivenImagesAreEvaluated() throws Exception {
    List<Long> first = ids.subList(0, 2);
    PredictionScorer scorer = new PredictionScorer(data, first);
    List<ImagePredictions> perfect = GroundTruthPredictions.perfect(data, first);
    assertEquals(1.0, scorer.detections(perfect).ap(), 1e-12);
    assertEquals(2, scorer.captions(perfect).evaluation().imageCount());
    List<ImagePredictions> other = GroundTruthPredictions.perfect(data, ids.subList(2, 3));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> scorer.detections(other));
    assertTrue(e.getMessage().contains("image " + ids.get(2)), e.getMessage());
  }

  @Test
  void predictionsOfUnknownCategoriesAreLeftOutOfTheScoring() throws Exception {
    PredictionScorer scorer = new PredictionScorer(data, ids);
    List<ImagePredictions> perfect = GroundTruthPredictions.perfect(data, ids);
    ImagePredictions p = perfect.get(0);
    List<Detection> more = new ArrayList<>(p.detections());
    more.add(new Detection(new BoundingBox(1, 1, 9, 9), 999, 1.0));
    List<ImagePredictions> withUnknown = new ArrayList<>(perfect);
    withUnknown.set(0, new ImagePredictions(p.imageId(), more, List.of(), List.of(),
        List.of()));
    DetectionScore s = scorer.detections(withUnknown);
    assertEquals(1.0, s.ap(), 1e-12);
    assertEquals(data.dataset().annotations().size() + 1, s.results().size(),
        "the results file keeps what the model predicted");
  }

  @Test
  void keypointScoresUseTheSigmasGivenForACategory() throws Exception {
    int person = data.dataset().categories().stream().filter(c -> c.keypoints() != null)
        .findFirst().orElseThrow().id();
    int n = data.dataset().category(person).keypoints().size();
    double[] loose = new double[n];
    Arrays.fill(loose, 1.0);
    List<ImagePredictions> spoiled = GroundTruthPredictions.spoiled(data, ids);
    double strict = new PredictionScorer(data, ids)
        .keypoints(BoxSource.GROUND_TRUTH, spoiled).ap();
    double lenient = new PredictionScorer(data, ids, 1, Map.of(person, loose))
        .keypoints(BoxSource.GROUND_TRUTH, spoiled).ap();
    assertTrue(lenient > strict, "lenient " + lenient + " vs strict " + strict);
  }

  @Test
  void captionsNeedACaptionsFile() throws Exception {
    EvaluationDataset noCaptions = EvaluationDataset.of(data.layout().root(), data.instances(),
        null);
    PredictionScorer scorer = new PredictionScorer(noCaptions, ids);
    DatasetException e = assertThrows(DatasetException.class,
        () -> scorer.captions(GroundTruthPredictions.perfect(data, ids)));
    assertTrue(e.getMessage().contains("captions.json"), e.getMessage());
  }
}
