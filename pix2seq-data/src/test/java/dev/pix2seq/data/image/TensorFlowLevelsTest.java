package dev.pix2seq.data.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.pix2seq.api.value.ImageTensor;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** {@link ImageFiles#toTensorFlowLevels}: 8-bit levels as TensorFlow's convert_image_dtype. */
class TensorFlowLevelsTest {

  @Test
  void everyLevelBecomesTheTimesReciprocalValue() {
    // One pixel per level: red = k, green = 255 - k, blue = k / 2.
    BufferedImage img = new BufferedImage(256, 1, BufferedImage.TYPE_INT_RGB);
    for (int k = 0; k < 256; k++) {
      img.setRGB(k, 0, (k << 16) | ((255 - k) << 8) | (k / 2));
    }
    ImageTensor divided = ImageFiles.toTensor(img);
    ImageTensor tf = ImageFiles.toTensorFlowLevels(divided);
    float step = (float) (1.0 / 255);
    int differ = 0;
    for (int k = 0; k < 256; k++) {
      assertEquals(k * step, tf.get(0, 0, k), 0f, "level " + k);
      assertEquals((255 - k) * step, tf.get(1, 0, k), 0f);
      assertEquals((k / 2) * step, tf.get(2, 0, k), 0f);
      if (divided.get(0, 0, k) != tf.get(0, 0, k)) {
        differ++;
      }
    }
    // The division and TensorFlow's multiply differ in the last bit for 126 levels.
    assertEquals(126, differ);
  }

  @Test
  void valuesThatAreNoLevelAreKept() {
    float[] px = {0.5f, 0.1234f, -0.2f, 1.5f, Float.NaN, 3 / 255f};
    ImageTensor t = new ImageTensor(px.clone(), 1, 1, px.length);
    ImageTensor out = ImageFiles.toTensorFlowLevels(t);
    for (int i = 0; i < 5; i++) {
      assertEquals(px[i], out.pixels()[i], 0f);
    }
    assertEquals(3 * (float) (1.0 / 255), out.pixels()[5], 0f);
    assertEquals(3 / 255f, t.pixels()[5], 0f, "the input is not changed");
  }

  @Test
  void aTensorWithNothingToChangeIsReturnedItself() {
    ImageTensor t = new ImageTensor(new float[] {0, 1, 0.5f}, 1, 1, 3);
    assertSame(t, ImageFiles.toTensorFlowLevels(t));
  }
}
