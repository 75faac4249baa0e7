package dev.pix2seq.data.synth;

import dev.pix2seq.data.augment.AnnotatedImage;
import dev.pix2seq.data.augment.AnnotatedInstance;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * One generated scene. The image is a fresh {@code TYPE_INT_RGB} image that belongs to the
 * caller; the rest is immutable.
 *
 * @param index the scene's index in its dataset
 * @param image the pixels
 * @param instances the annotated objects in drawing order (later ones cover earlier ones);
 *     objects hidden entirely are left out
 * @param captions 3 to 5 distinct lower-case captions without punctuation; the first is the
 *     canonical one
 */
public record SyntheticScene(
    long index, BufferedImage image, List<SceneInstance> instances, List<String> captions) {

  public SyntheticScene {
    if (image == null) {
      throw new IllegalArgumentException("scene " + index + " needs an image");
    }
    instances = List.copyOf(instances);
    captions = List.copyOf(captions);
  }

  /** The canonical caption. */
  public String canonicalCaption() {
    return captions.get(0);
  }

  /**
   * The scene as an augmentation sample; instance ids are {@code 1..n} in drawing order (the
   * dataset writer numbers annotations differently, globally).
   */
  public AnnotatedImage toAnnotatedImage() {
    List<AnnotatedInstance> out = new ArrayList<>(instances.size());
    for (int i = 0; i < instances.size(); i++) {
      SceneInstance s = instances.get(i);
      out.add(AnnotatedInstance.of(i + 1, s.categoryId(), s.box(), s.polygons(), s.keypoints()));
    }
    return AnnotatedImage.of(image, out, captions);
  }
}
