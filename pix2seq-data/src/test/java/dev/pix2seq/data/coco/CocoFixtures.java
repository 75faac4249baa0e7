package dev.pix2seq.data.coco;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.Keypoint;
import dev.pix2seq.api.value.KeypointSchema;
import dev.pix2seq.api.value.Keypoints;
import dev.pix2seq.api.value.Polygon;
import dev.pix2seq.api.value.PolygonMask;
import dev.pix2seq.api.value.RleMask;
import dev.pix2seq.api.value.Visibility;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Small generated COCO datasets and JSON documents for the tests. */
final class CocoFixtures {
  static final ObjectMapper JSON = new ObjectMapper();

  private CocoFixtures() {}

  static KeypointSchema threePointSchema() {
    return new KeypointSchema(
        List.of("nose", "left_eye", "right_eye"),
        List.of(new KeypointSchema.Edge(0, 1), new KeypointSchema.Edge(0, 2)));
  }

  /** A dataset using every feature: polygons (multi-part), RLE, crowd, keypoints, captions. */
  static CocoDataset richDataset() {
    List<CocoImage> images = List.of(
        new CocoImage(7, "a.png", 20, 10),
        new CocoImage(3_000_000_000L, "sub/b.jpg", 8, 6),
        new CocoImage(9, "empty.png", 4, 4));
    List<Category> categories = List.of(
        new Category(1, "person", "person", threePointSchema()),
        new Category(44, "bottle", "kitchen", null));
    RleMask rle = new RleMask(6, 8, new int[] {2, 3, 10, 4, 29});
    Keypoints kps = new Keypoints(List.of(
        new Keypoint(1.5, 2.25, Visibility.VISIBLE, 1),
        new Keypoint(3, 4, Visibility.OCCLUDED, 1),
        new Keypoint(0, 0, Visibility.UNLABELED, 0)), 1);
    List<CocoAnnotation> annotations = List.of(
        new CocoAnnotation(1, 7, 44, BoundingBox.ofXywh(1, 2, 3.5, 4), new PolygonMask(List.of(
            Polygon.ofXy(1, 2, 4.5, 2, 4.5, 6),
            Polygon.ofXy(5, 5, 6, 5, 6, 6.125, 5, 6))), 7.5, false, null),
        new CocoAnnotation(2, 7, 1, BoundingBox.ofXywh(0.1, 0.2, 5.3, 4.4),
            new PolygonMask(List.of(Polygon.ofXy(0, 0, 5, 0, 5, 5))), 12.5, false, kps),
        new CocoAnnotation(3, 3_000_000_000L, 44, BoundingBox.ofXywh(0, 2, 2, 3), rle, 7, true,
            null),
        new CocoAnnotation(4, 3_000_000_000L, 1, BoundingBox.ofXywh(0, 0, 0, 0), null, 0, false,
            new Keypoints(List.of(Keypoint.unlabeled(), Keypoint.unlabeled(),
                Keypoint.unlabeled()), 1)));
    List<CocoCaption> captions = List.of(
        new CocoCaption(100, 7, "a bottle next to a person"),
        new CocoCaption(101, 7, "two things \"quoted\" and unicode é"),
        new CocoCaption(102, 9, "an empty picture"));
    return new CocoDataset(images, categories, annotations, captions);
  }

  /** A valid instances document whose entries the error tests break one at a time. */
  static ObjectNode instancesDocument() {
    String rleCounts = new RleMask(6, 8, new int[] {2, 3, 43}).toCompressed();
    String json = """
        {
          "info": {"description": "fixture"},
          "images": [
            {"id": 1, "file_name": "a.png", "width": 20, "height": 10},
            {"id": 2, "file_name": "b.png", "width": 8, "height": 6}
          ],
          "categories": [
            {"id": 1, "name": "person", "supercategory": "person",
             "keypoints": ["nose", "left_eye", "right_eye"], "skeleton": [[1, 2], [1, 3]]},
            {"id": 5, "name": "box"}
          ],
          "annotations": [
            {"id": 10, "image_id": 1, "category_id": 5, "bbox": [1, 2, 3, 4], "area": 12,
             "iscrowd": 0, "segmentation": [[1, 2, 4, 2, 4, 6], [5, 5, 6, 5, 6, 6]]},
            {"id": 11, "image_id": 1, "category_id": 1, "bbox": [0, 0, 5, 5], "area": 10,
             "iscrowd": 0, "segmentation": [[0, 0, 5, 0, 5, 5]],
             "keypoints": [1, 1, 2, 2, 2, 1, 0, 0, 0], "num_keypoints": 2},
            {"id": 12, "image_id": 2, "category_id": 5, "bbox": [0, 2, 1, 3], "area": 3,
             "iscrowd": 1, "segmentation": {"size": [6, 8], "counts": [2, 3, 43]}},
            {"id": 345, "image_id": 2, "category_id": 5, "bbox": [0, 2, 1, 3], "area": 3,
             "iscrowd": 0, "segmentation": {"size": [6, 8], "counts": "RLE"}}
          ]
        }
        """.replace("\"RLE\"", "\"" + rleCounts + "\"");
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode annotation(ObjectNode doc, int index) {
    return (ObjectNode) doc.get("annotations").get(index);
  }

  static ArrayNode array(ObjectNode doc, String field) {
    return (ArrayNode) doc.get(field);
  }

  static Path write(Path dir, String name, Object doc) {
    try {
      Path file = dir.resolve(name);
      Files.createDirectories(file.getParent());
      if (doc instanceof String s) {
        Files.writeString(file, s);
      } else {
        JSON.writeValue(file.toFile(), doc);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
