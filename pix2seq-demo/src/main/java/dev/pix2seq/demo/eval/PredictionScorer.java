package dev.pix2seq.demo.eval;

import dev.pix2seq.api.DatasetException;
import dev.pix2seq.api.value.Caption;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.Detection;
import dev.pix2seq.data.coco.CocoCaption;
import dev.pix2seq.data.coco.CocoDataset;
import dev.pix2seq.data.coco.CocoImage;
import dev.pix2seq.eval.caption.CaptionEvaluation;
import dev.pix2seq.eval.caption.CaptionEvaluator;
import dev.pix2seq.eval.caption.GeneratedCaption;
import dev.pix2seq.eval.caption.MissingResultPolicy;
import dev.pix2seq.eval.coco.CocoDetection;
import dev.pix2seq.eval.coco.CocoEvalParams;
import dev.pix2seq.eval.coco.CocoEvalResult;
import dev.pix2seq.eval.coco.CocoEvaluator;
import dev.pix2seq.eval.coco.CocoResults;
import dev.pix2seq.eval.coco.IouType;
import dev.pix2seq.runtime.predict.CocoResultsWriter;
import dev.pix2seq.runtime.predict.ImagePredictions;
import dev.pix2seq.runtime.predict.KeypointPrediction;
import dev.pix2seq.runtime.predict.MaskPrediction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores predictions of the built-in tasks against an {@link EvaluationDataset}, on a fixed set
 * of images, with no model involved: detections by box AP, masks by mask AP, keypoints by OKS
 * AP ({@link CocoEvaluator}, pycocotools' numbers; keypoint sigmas from {@link KeypointSigmas}
 * unless given), captions by BLEU-1..4 and CIDEr-D ({@link CaptionEvaluator}, PTB tokenisation).
 *
 * <p>The COCO results are scored as a results file of {@link CocoResultsWriter} would be:
 * boxes as {@code [x, y, w, h]}, masks as RLE without a box (area = mask area), keypoints
 * without a box (the box is their extent). Predictions of a category the ground truth does not
 * know are left out of the scoring (pycocotools never looks at them) and logged. Every evaluated
 * image with reference captions counts for captioning: one without a caption scores as an empty
 * caption.
 *
 * <pre>{@code
 * PredictionScorer scorer = new PredictionScorer(data, imageIds);
 * DetectionScore boxes = scorer.detections(predictions);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class PredictionScorer {
  private static final Logger LOG = LoggerFactory.getLogger(PredictionScorer.class);

  private final EvaluationDataset data;
  private final List<Long> imageIds;
  private final Set<Long> imageIdSet;
  private final CocoEvaluator evaluator;
  private final Map<Integer, double[]> keypointSigmas;

  /**
   * A scorer using every processor and the default keypoint sigmas.
   *
   * @param data the ground truth
   * @param imageIds the images evaluated (pycocotools' {@code params.imgIds})
   */
  public PredictionScorer(EvaluationDataset data, List<Long> imageIds) {
    this(data, imageIds, Runtime.getRuntime().availableProcessors(), Map.of());
  }

  /**
   * @param data the ground truth
   * @param imageIds the images evaluated (pycocotools' {@code params.imgIds}), at least one
   * @param parallelism threads of the COCO evaluation
   * @param keypointSigmas OKS sigmas by category id, overriding {@link KeypointSigmas}
   * @throws IllegalArgumentException if an argument is missing, there are no images or the
   *     parallelism is below 1
   */
  public PredictionScorer(EvaluationDataset data, List<Long> imageIds, int parallelism,
      Map<Integer, double[]> keypointSigmas) {
    if (data == null || imageIds == null || keypointSigmas == null) {
      throw new IllegalArgumentException("a scorer needs a dataset, image ids and sigmas");
    }
    if (imageIds.isEmpty()) {
      throw new IllegalArgumentException("a scorer needs at least one image id");
    }
    this.data = data;
    this.imageIds = List.copyOf(imageIds);
    this.imageIdSet = new LinkedHashSet<>(this.imageIds);
    this.evaluator = new CocoEvaluator(parallelism);
    Map<Integer, double[]> sigmas = new HashMap<>();
    keypointSigmas.forEach((id, s) -> sigmas.put(id, s.clone()));
    this.keypointSigmas = sigmas;
  }

  /** The evaluated images. */
  public List<Long> imageIds() {
    return imageIds;
  }

  /**
   * Box AP of the detections.
   *
   * @throws DatasetException if the ground truth cannot be evaluated
   * @throws IllegalArgumentException if a prediction names an image that is not evaluated
   */
  public DetectionScore detections(List<ImagePredictions> predictions) throws DatasetException {
    checkImages(predictions);
    List<CocoDetection> scored = new ArrayList<>();
    for (ImagePredictions p : predictions) {
      for (Detection d : p.detections()) {
        double[] b = d.box().toXywh();
        if (known(d.categoryId())) {
          scored.add(CocoDetection.ofBox(p.imageId(), d.categoryId(), d.score(), b[0], b[1],
              b[2], b[3]));
        }
      }
    }
    warnUnknown("detections", predictions.stream().mapToInt(p -> p.detections().size()).sum(),
        scored.size());
    return new DetectionScore(
        coco(IouType.BBOX, scored, "detections"), CocoResultsWriter.boxes(predictions));
  }

  /**
   * Mask AP of the masks.
   *
   * @param boxes what prompted the masks (recorded in the score)
   * @throws DatasetException if the ground truth lacks segmentations
   * @throws IllegalArgumentException if a prediction names an image that is not evaluated or
   *     a mask's size is not its image's
   */
  public MaskScore masks(BoxSource boxes, List<ImagePredictions> predictions)
      throws DatasetException {
    checkImages(predictions);
    List<CocoDetection> scored = new ArrayList<>();
    for (ImagePredictions p : predictions) {
      for (MaskPrediction m : p.masks()) {
        if (known(m.instance().categoryId())) {
          scored.add(CocoDetection.ofMask(p.imageId(), m.instance().categoryId(), m.score(),
              m.mask()));
        }
      }
    }
    warnUnknown("masks", predictions.stream().mapToInt(p -> p.masks().size()).sum(),
        scored.size());
    return new MaskScore(boxes, coco(IouType.SEGM, scored, "masks"),
        CocoResultsWriter.masks(predictions));
  }

  /**
   * OKS AP of the keypoints.
   *
   * @param boxes what prompted the keypoints (recorded in the score)
   * @throws DatasetException if the ground truth lacks keypoints
   * @throws IllegalArgumentException if a prediction names an image that is not evaluated or
   *     has the wrong number of keypoints for its category
   */
  public KeypointScore keypoints(BoxSource boxes, List<ImagePredictions> predictions)
      throws DatasetException {
    checkImages(predictions);
    List<CocoDetection> scored = new ArrayList<>();
    for (ImagePredictions p : predictions) {
      for (KeypointPrediction k : p.keypoints()) {
        if (known(k.instance().categoryId())) {
          scored.add(CocoDetection.ofKeypoints(p.imageId(), k.instance().categoryId(),
              k.keypoints().score(), k.keypoints().toCocoArray()));
        }
      }
    }
    warnUnknown("keypoint instances",
        predictions.stream().mapToInt(p -> p.keypoints().size()).sum(), scored.size());
    return new KeypointScore(boxes, coco(IouType.KEYPOINTS, scored, "keypoints"),
        CocoResultsWriter.keypoints(predictions));
  }

  /**
   * Corpus BLEU-1..4 and CIDEr-D of the first caption of each image.
   *
   * @throws DatasetException if the dataset has no captions file or none of the evaluated
   *     images has reference captions
   * @throws IllegalArgumentException if a prediction names an image that is not evaluated
   */
  public CaptionScore captions(List<ImagePredictions> predictions) throws DatasetException {
    checkImages(predictions);
    Optional<CocoDataset> references = data.captions();
    if (references.isEmpty()) {
      throw new DatasetException(data.layout().captionsFile() + ": file not found; scoring "
          + "describe needs reference captions");
    }
    CocoDataset refs = references.get();
    List<CocoImage> images = new ArrayList<>();
    List<CocoCaption> captions = new ArrayList<>();
    for (long id : imageIds) {
      CocoImage image = refs.image(id);
      if (image != null && !refs.captionsOf(id).isEmpty()) {
        images.add(image);
        captions.addAll(refs.captionsOf(id));
      }
    }
    if (images.isEmpty()) {
      throw new DatasetException(data.layout().captionsFile() + ": none of the "
          + imageIds.size() + " evaluated images has reference captions");
    }
    CocoDataset evaluated = new CocoDataset(images, List.of(), List.of(), captions);
    List<GeneratedCaption> generated = new ArrayList<>();
    for (ImagePredictions p : predictions) {
      if (!p.captions().isEmpty() && evaluated.image(p.imageId()) != null) {
        Caption first = p.captions().get(0);
        generated.add(new GeneratedCaption(p.imageId(), first.text()));
      }
    }
    CaptionEvaluation evaluation = CaptionEvaluator.builder()
        .optMissingResultPolicy(MissingResultPolicy.SCORE_AS_EMPTY).build()
        .evaluate(evaluated, generated, "captions");
    return new CaptionScore(evaluation, CocoResultsWriter.captions(predictions));
  }

  private CocoEvalResult coco(IouType type, List<CocoDetection> scored, String what)
      throws DatasetException {
    CocoEvalParams.Builder params = CocoEvalParams.builder(type).optImgIds(imageIds);
    if (type == IouType.KEYPOINTS) {
      for (Category c : data.dataset().categories()) {
        if (c.keypoints() == null) {
          continue;
        }
        double[] given = keypointSigmas.get(c.id());
        if (given != null) {
          params.optCategoryKptOksSigmas(c.id(), given);
        } else {
          KeypointSigmas.forSchema(c.keypoints())
              .ifPresent(s -> params.optCategoryKptOksSigmas(c.id(), s));
        }
      }
    }
    CocoResults results;
    try {
      results = CocoResults.of(data.instances(), scored);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
    }
    return evaluator.evaluate(data.instances(), results, params.build());
  }

  private boolean known(int categoryId) {
    return data.dataset().category(categoryId) != null;
  }

  private void warnUnknown(String what, int predicted, int scored) {
    if (predicted > scored) {
      LOG.warn("{} of {} {} are left out of the scoring: their categories are not in {}",
          predicted - scored, predicted, what, data.instancesFile());
    }
  }

  private void checkImages(List<ImagePredictions> predictions) {
    if (predictions == null) {
      throw new IllegalArgumentException("predictions must not be null");
    }
    for (ImagePredictions p : predictions) {
      if (!imageIdSet.contains(p.imageId())) {
        throw new IllegalArgumentException("predictions of image " + p.imageId()
            + ", which is not among the " + imageIds.size() + " evaluated images");
      }
    }
  }
}
