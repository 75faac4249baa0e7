package dev.pix2seq.runtime.predict;

import static dev.pix2seq.runtime.predict.PredictFixtures.CAR;
import static dev.pix2seq.runtime.predict.PredictFixtures.PERSON;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.tokenizer.Vocabulary;

/**
 * A scripted model's answers for every built-in task on a 200 x 100 image holding a person
 * (80..120 x 30..70) and a car (20..60 x 10..40): detection names both, segmentation outlines
 * the prompt's box, keypoints all sit in the middle of the crop, the caption is fixed. Every
 * token is certain.
 */
final class SceneScript implements ScriptedModel.Script {
  static final int WIDTH = 200;
  static final int HEIGHT = 100;
  static final BoundingBox PERSON_BOX = new BoundingBox(80, 30, 120, 70);
  static final BoundingBox CAR_BOX = new BoundingBox(20, 10, 60, 40);
  static final String CAPTION = "a dog riding a red car";

  private final Vocabulary vocab;
  private final int eos;

  SceneScript(Vocabulary vocab) {
    this.vocab = vocab;
    this.eos = vocab.layout().eos();
  }

  @Override
  public ScriptedModel.Forced next(ImageTensor image, int[] tokens) {
    int task = tokens[0];
    int[] response;
    int promptLength;
    if (task == vocab.taskToken("detect")) {
      promptLength = 1;
      response = new int[] {
        coord(PERSON_BOX.yMin()), coord(PERSON_BOX.xMin()), coord(PERSON_BOX.yMax()),
        coord(PERSON_BOX.xMax()), vocab.classToken(PERSON),
        coord(CAR_BOX.yMin()), coord(CAR_BOX.xMin()), coord(CAR_BOX.yMax()),
        coord(CAR_BOX.xMax()), vocab.classToken(CAR), eos};
    } else if (task == vocab.taskToken("segment")) {
      promptLength = 6;
      int y0 = tokens[1];
      int x0 = tokens[2];
      int y1 = tokens[3];
      int x1 = tokens[4];
      response = new int[] {y0, x0, y0, x1, y1, x1, y1, x0, eos};
    } else if (task == vocab.taskToken("keypoint")) {
      promptLength = 6;
      int mid = vocab.coordToken(0.5);
      response = new int[] {mid, mid, mid, mid, mid, mid, mid, mid, eos};
    } else {
      promptLength = 1;
      response = vocab.textTokens(CAPTION);
    }
    int t = tokens.length - promptLength;
    return ScriptedModel.Forced.certain(t < response.length ? response[t] : eos);
  }

  /** A pixel coordinate of the 200 x 100 image, normalised over its 200-pixel square input. */
  private int coord(double pixels) {
    return vocab.coordToken(pixels / WIDTH);
  }
}
