package dev.pix2seq.runtime.predict;

import static dev.pix2seq.runtime.predict.DetectPredictionTest.assertBox;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.api.value.Point;
import org.junit.jupiter.api.Test;

class ModelInputTest {
  private final ModelInputPreparer preparer =
      new ModelInputPreparer(64, PredictFixtures.categories());

  @Test
  void aTallImageIsResizedThenPaddedOnTheRight() {
    ModelInput input = preparer.whole(PredictFixtures.flat(50, 100, 0.8f));
    assertEquals(64, input.side());
    assertEquals(0.8f, input.image().get(1, 63, 31), 1e-6);
    assertEquals(0.3f, input.image().get(1, 0, 33), 1e-6);
    // Normalised 0..1 spans the 100-pixel padded square.
    assertEquals(new Point(50, 100), input.toSource(new Point(0.5, 1)));
    BoundingBox box = new BoundingBox(10, 20, 40, 90);
    assertBox(box, input.toSource(input.normalise(box)), 1e-9);
  }

  @Test
  void promptBoxesAreClippedToTheImageAsInTraining() {
    ModelInput input = preparer.whole(PredictFixtures.flat(100, 50, 0.5f));
    assertBox(new BoundingBox(0.8, 0, 1, 0.5),
        input.normalise(new BoundingBox(80, -10, 130, 70)), 1e-9);
  }

  @Test
  void theKeypointCropIsTwiceTheBoxWithGreyBeyondTheImage() {
    ModelInput input =
        preparer.keypointContext(
            PredictFixtures.flat(100, 100, 0.9f), new BoundingBox(0, 0, 32, 32));
    // Window -16..48 on both axes: 64 pixels, no resize; the top-left quarter is outside.
    assertEquals(0.3f, input.image().get(0, 5, 5), 1e-6);
    assertEquals(0.9f, input.image().get(0, 20, 20), 1e-6);
    assertBox(new BoundingBox(0.25, 0.25, 0.75, 0.75),
        input.normalise(new BoundingBox(0, 0, 32, 32)), 1e-9);
    assertEquals(new Point(16, 16), input.toSource(new Point(0.5, 0.5)));
  }

  @Test
  void onlyRgbImagesAreAccepted() {
    ImageTensor gray = new ImageTensor(new float[16], 1, 4, 4);
    assertThrows(IllegalArgumentException.class, () -> preparer.whole(gray));
  }
}
