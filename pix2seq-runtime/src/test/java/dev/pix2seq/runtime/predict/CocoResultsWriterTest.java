package dev.pix2seq.runtime.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Caption;
import dev.pix2seq.api.value.Detection;
import dev.pix2seq.api.value.Keypoint;
import dev.pix2seq.api.value.Keypoints;
import dev.pix2seq.api.value.RleMask;
import dev.pix2seq.api.value.Visibility;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoResultsWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final ObjectInstance person =
      new ObjectInstance(new BoundingBox(10, 20, 40, 80), PredictFixtures.PERSON, 0.9);
  private final RleMask mask = new RleMask(4, 3, new int[] {1, 5, 2, 4});
  private final ImagePredictions predictions = new ImagePredictions(
      17,
      List.of(new Detection(new BoundingBox(10, 20, 40, 80), PredictFixtures.PERSON, 0.9)),
      List.of(new MaskPrediction(person, mask, 0.7)),
      List.of(new KeypointPrediction(person, new Keypoints(List.of(
          new Keypoint(12.5, 30, Visibility.VISIBLE, 0.8), Keypoint.unlabeled()), 0.6))),
      List.of(new Caption("a person", 0.5)));

  private JsonNode writeAndRead(String name, List<?> results) throws IOException {
    Path file = dir.resolve("out").resolve(name);
    CocoResultsWriter.write(file, results);
    try (var files = Files.list(file.getParent())) {
      assertEquals(List.of(file), files.toList(), "no temp file left behind");
    }
    JsonNode array = JSON.readTree(file.toFile());
    assertTrue(array.isArray());
    return array;
  }

  @Test
  void boxesAreXywhWithScores() throws IOException {
    JsonNode r = writeAndRead("bbox.json", CocoResultsWriter.boxes(List.of(predictions))).get(0);
    assertEquals(17, r.get("image_id").asLong());
    assertEquals(PredictFixtures.PERSON, r.get("category_id").asInt());
    assertEquals(List.of(10.0, 20.0, 30.0, 60.0),
        List.of(r.get("bbox").get(0).asDouble(), r.get("bbox").get(1).asDouble(),
            r.get("bbox").get(2).asDouble(), r.get("bbox").get(3).asDouble()));
    assertEquals(0.9, r.get("score").asDouble());
    assertEquals(4, r.size());
  }

  @Test
  void masksAreCompressedRleAsPycocotoolsWritesThem() throws IOException {
    JsonNode r = writeAndRead("segm.json", CocoResultsWriter.masks(List.of(predictions))).get(0);
    assertEquals(17, r.get("image_id").asLong());
    assertEquals(PredictFixtures.PERSON, r.get("category_id").asInt());
    JsonNode seg = r.get("segmentation");
    assertEquals(4, seg.get("size").get(0).asInt());
    assertEquals(3, seg.get("size").get(1).asInt());
    assertTrue(seg.get("counts").isTextual());
    assertEquals(mask, RleMask.fromCompressed(seg.get("counts").asText(), 4, 3));
    assertEquals(0.7, r.get("score").asDouble());
    assertFalse(r.has("bbox"));
  }

  @Test
  void keypointsAreXyvTriples() throws IOException {
    JsonNode r =
        writeAndRead("kp.json", CocoResultsWriter.keypoints(List.of(predictions))).get(0);
    JsonNode k = r.get("keypoints");
    assertEquals(6, k.size());
    assertEquals(12.5, k.get(0).asDouble());
    assertEquals(30.0, k.get(1).asDouble());
    assertEquals(2, k.get(2).asInt());
    assertEquals(0, k.get(5).asInt());
    assertEquals(0.6, r.get("score").asDouble());
    assertEquals(PredictFixtures.PERSON, r.get("category_id").asInt());
  }

  @Test
  void captionsHoldImageIdAndText() throws IOException {
    JsonNode array = writeAndRead("cap.json", CocoResultsWriter.captions(List.of(predictions,
        ImagePredictions.empty(18))));
    assertEquals(1, array.size());
    assertEquals(17, array.get(0).get("image_id").asLong());
    assertEquals("a person", array.get(0).get("caption").asText());
    assertEquals(2, array.get(0).size());
  }
}
