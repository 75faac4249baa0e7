package dev.pix2seq.runtime.predict;

import dev.pix2seq.api.config.NetworkVariant;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.sampling.LogitMath;
import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.Detection;
import dev.pix2seq.api.vocab.VocabLayout;
import dev.pix2seq.tokenizer.Vocabulary;
import java.util.ArrayList;
import java.util.List;

/**
 * Names the object in a given box with the detection the model was trained on: the box is fed
 * as the first object of a detection response, {@code [detect] yMin xMin yMax xMax}, quantised
 * as the model's own detection quantises it, and the class is the most likely class token at
 * the next position. The candidates are the vocabulary's categories (for an official model,
 * every class token but 0, as its detection reads them); the score is the class token's
 * probability under the softmax over the whole vocabulary, so mass on FAKE, on coordinates or on
 * other classes lowers it. One teacher-forced pass per image, no sampling. Immutable and
 * thread-safe.
 */
final class BoxClassifier {

  private final Pix2seqModel model;
  private final Vocabulary vocabulary;
  private final int[] candidates;

  BoxClassifier(Pix2seqModel model, Vocabulary vocabulary) {
    this.model = model;
    this.vocabulary = vocabulary;
    VocabLayout layout = vocabulary.layout();
    if (model.config().network() == NetworkVariant.OFFICIAL) {
      candidates = new int[layout.maxClasses() - 1];
      for (int i = 0; i < candidates.length; i++) {
        candidates[i] = layout.classBase() + 1 + i;
      }
    } else {
      List<Category> categories = vocabulary.categories();
      candidates = new int[categories.size()];
      for (int i = 0; i < candidates.length; i++) {
        candidates[i] = vocabulary.classToken(categories.get(i).id());
      }
    }
  }

  /**
   * The category and score of each box, in order, for image 0 of {@code features}.
   *
   * @param input the encoded image's model input
   * @param boxes boxes in image pixels, clipped to it
   */
  List<Detection> classify(ImageFeatures features, ModelInput input, List<BoundingBox> boxes) {
    int[][] rows = new int[boxes.size()][];
    for (int r = 0; r < rows.length; r++) {
      rows[r] = prefix(input, boxes.get(r));
    }
    float[][][] logits = model.decoder().logits(features, new int[rows.length], rows);
    List<Detection> out = new ArrayList<>(boxes.size());
    for (int r = 0; r < rows.length; r++) {
      float[] next = logits[r][rows[r].length - 1];
      int best = candidates[0];
      for (int token : candidates) {
        if (next[token] > next[best]) {
          best = token;
        }
      }
      int categoryId = model.config().network() == NetworkVariant.OFFICIAL
          ? best - vocabulary.layout().classBase()
          : vocabulary.categoryOf(best).id();
      out.add(new Detection(boxes.get(r), categoryId, Math.exp(LogitMath.logProb(next, best))));
    }
    return out;
  }

  /** {@code [detect] yMin xMin yMax xMax} of a box in image pixels. */
  private int[] prefix(ModelInput input, BoundingBox box) {
    int detect = vocabulary.taskToken("detect");
    if (model.config().network() == NetworkVariant.OFFICIAL) {
      float[] yx = OfficialFrame.whole(input.sourceWidth(), input.sourceHeight(), input.side())
          .promptBox(box);
      VocabLayout layout = vocabulary.layout();
      return new int[] {detect, OfficialTokens.quantize(yx[0], layout),
          OfficialTokens.quantize(yx[1], layout), OfficialTokens.quantize(yx[2], layout),
          OfficialTokens.quantize(yx[3], layout)};
    }
    BoundingBox n = input.normalise(box);
    return new int[] {detect, vocabulary.coordToken(n.yMin()), vocabulary.coordToken(n.xMin()),
        vocabulary.coordToken(n.yMax()), vocabulary.coordToken(n.xMax())};
  }
}
