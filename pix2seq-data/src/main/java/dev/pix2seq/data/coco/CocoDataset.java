package dev.pix2seq.data.coco;

import dev.pix2seq.api.value.Category;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An in-memory COCO dataset: images, categories, instance annotations and captions, with
 * lookups by id. Immutable; lists keep file order. Two datasets are equal when their four
 * lists are equal (same entries in the same order).
 */
public final class CocoDataset {
  private final List<CocoImage> images;
  private final List<Category> categories;
  private final List<CocoAnnotation> annotations;
  private final List<CocoCaption> captions;
  private final Map<Long, CocoImage> imageById;
  private final Map<Integer, Category> categoryById;
  private final Map<Long, List<CocoAnnotation>> annotationsByImage;
  private final Map<Long, List<CocoCaption>> captionsByImage;

  /**
   * @throws IllegalArgumentException if ids repeat or an annotation or caption names an image
   *     or category that is not there
   */
  public CocoDataset(
      List<CocoImage> images,
      List<Category> categories,
      List<CocoAnnotation> annotations,
      List<CocoCaption> captions) {
    this.images = List.copyOf(images);
    this.categories = List.copyOf(categories);
    this.annotations = List.copyOf(annotations);
    this.captions = List.copyOf(captions);
    Map<Long, CocoImage> imgs = new LinkedHashMap<>();
    for (CocoImage i : this.images) {
      if (imgs.put(i.id(), i) != null) {
        throw new IllegalArgumentException("image id " + i.id() + " appears twice");
      }
    }
    Map<Integer, Category> cats = new LinkedHashMap<>();
    for (Category c : this.categories) {
      if (cats.put(c.id(), c) != null) {
        throw new IllegalArgumentException("category id " + c.id() + " appears twice");
      }
    }
    Map<Long, List<CocoAnnotation>> byImage = new HashMap<>();
    for (CocoAnnotation a : this.annotations) {
      if (!imgs.containsKey(a.imageId())) {
        throw new IllegalArgumentException(
            "annotation " + a.id() + " refers to missing image " + a.imageId());
      }
      if (!cats.containsKey(a.categoryId())) {
        throw new IllegalArgumentException(
            "annotation " + a.id() + " refers to missing category " + a.categoryId());
      }
      byImage.computeIfAbsent(a.imageId(), k -> new ArrayList<>()).add(a);
    }
    Map<Long, List<CocoCaption>> capsByImage = new HashMap<>();
    for (CocoCaption c : this.captions) {
      if (!imgs.containsKey(c.imageId())) {
        throw new IllegalArgumentException(
            "caption " + c.id() + " refers to missing image " + c.imageId());
      }
      capsByImage.computeIfAbsent(c.imageId(), k -> new ArrayList<>()).add(c);
    }
    this.imageById = Collections.unmodifiableMap(imgs);
    this.categoryById = Collections.unmodifiableMap(cats);
    this.annotationsByImage = freeze(byImage);
    this.captionsByImage = freeze(capsByImage);
  }

  private static <T> Map<Long, List<T>> freeze(Map<Long, List<T>> m) {
    Map<Long, List<T>> out = new HashMap<>();
    m.forEach((k, v) -> out.put(k, List.copyOf(v)));
    return Collections.unmodifiableMap(out);
  }

  public List<CocoImage> images() {
    return images;
  }

  public List<Category> categories() {
    return categories;
  }

  public List<CocoAnnotation> annotations() {
    return annotations;
  }

  public List<CocoCaption> captions() {
    return captions;
  }

  /** The image with this id, or null. */
  public CocoImage image(long id) {
    return imageById.get(id);
  }

  /** The category with this id, or null. */
  public Category category(int id) {
    return categoryById.get(id);
  }

  /** Annotations of an image in file order (empty if none). */
  public List<CocoAnnotation> annotationsOf(long imageId) {
    return annotationsByImage.getOrDefault(imageId, List.of());
  }

  /** Captions of an image in file order (empty if none). */
  public List<CocoCaption> captionsOf(long imageId) {
    return captionsByImage.getOrDefault(imageId, List.of());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CocoDataset d
        && d.images.equals(images)
        && d.categories.equals(categories)
        && d.annotations.equals(annotations)
        && d.captions.equals(captions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(images, categories, annotations, captions);
  }

  @Override
  public String toString() {
    return "CocoDataset[images=" + images.size() + ", categories=" + categories.size()
        + ", annotations=" + annotations.size() + ", captions=" + captions.size() + "]";
  }
}
