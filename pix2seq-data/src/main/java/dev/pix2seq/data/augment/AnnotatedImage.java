package dev.pix2seq.data.augment;

import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.api.value.Polygon;
import dev.pix2seq.api.value.PolygonMask;
import dev.pix2seq.data.coco.CocoAnnotation;
import dev.pix2seq.data.coco.CocoCaption;
import dev.pix2seq.data.image.ImageFiles;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One training sample: an image and everything annotated on it, in the image's pixel coordinates
 * (see the package notes for the convention). Immutable as long as nobody writes into the
 * tensor's array, which is shared, not copied: augmentations always build a new array.
 *
 * @param image the pixels, channel-first, values in [0, 1]
 * @param instances the objects; copied
 * @param captions caption texts; copied
 * @param fromSource how coordinates of the source image map to this sample's coordinates
 * @param droppedInstances how many instances augmentation removed so far (cut away by a crop)
 */
public record AnnotatedImage(
    ImageTensor image,
    List<AnnotatedInstance> instances,
    List<String> captions,
    CoordinateMap fromSource,
    int droppedInstances) {

  public AnnotatedImage {
    if (image == null) {
      throw new IllegalArgumentException("an annotated image needs an image");
    }
    instances = List.copyOf(instances);
    captions = List.copyOf(captions);
    if (fromSource == null) {
      throw new IllegalArgumentException("an annotated image needs a coordinate map");
    }
    if (droppedInstances < 0) {
      throw new IllegalArgumentException(
          "droppedInstances must be >= 0, found " + droppedInstances);
    }
  }

  /** A sample straight from its source (identity map, nothing dropped). */
  public static AnnotatedImage of(ImageTensor image, List<AnnotatedInstance> instances,
      List<String> captions) {
    return new AnnotatedImage(image, instances, captions, CoordinateMap.IDENTITY, 0);
  }

  /** A sample from an 8-bit image (converted to RGB values in [0, 1]). */
  public static AnnotatedImage of(BufferedImage image, List<AnnotatedInstance> instances,
      List<String> captions) {
    return of(ImageFiles.toTensor(image), instances, captions);
  }

  /**
   * A sample from COCO annotations of one image. Polygon segmentations become the instances'
   * polygons; an RLE segmentation is left out (augmentation moves polygons only), the box and
   * keypoints are kept.
   */
  public static AnnotatedImage fromCoco(BufferedImage image, List<CocoAnnotation> annotations,
      List<CocoCaption> captions) {
    List<AnnotatedInstance> instances = new ArrayList<>(annotations.size());
    for (CocoAnnotation a : annotations) {
      List<Polygon> polygons =
          a.segmentation() instanceof PolygonMask pm ? pm.polygons() : List.of();
      instances.add(new AnnotatedInstance(a.id(), a.categoryId(), a.bbox(), polygons,
          a.keypoints(), a.crowd()));
    }
    List<String> texts = captions.stream().map(CocoCaption::caption).toList();
    return of(image, instances, texts);
  }

  public int width() {
    return image.width();
  }

  public int height() {
    return image.height();
  }

  /** The instance with this id, if it is still there. */
  public Optional<AnnotatedInstance> instance(long id) {
    return instances.stream().filter(i -> i.id() == id).findFirst();
  }

  /** The pixels as an 8-bit RGB image (see {@link ImageFiles#toBufferedImage(ImageTensor)}). */
  public BufferedImage toBufferedImage() {
    return ImageFiles.toBufferedImage(image);
  }

  /** This sample after another step: new pixels, instances, captions and map. */
  AnnotatedImage next(ImageTensor newImage, List<AnnotatedInstance> newInstances,
      List<String> newCaptions, CoordinateMap step, int newlyDropped) {
    return new AnnotatedImage(newImage, newInstances, newCaptions, fromSource.then(step),
        droppedInstances + newlyDropped);
  }
}
