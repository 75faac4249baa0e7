package dev.pix2seq.djl.translator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.modality.cv.output.Joints;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Type pairs and task arguments into routes, and the tasks a route needs. */
class RouteTest {
  @Test
  void typePairsFindTheirRoutes() {
    assertSame(Route.DETECT, Route.find(Image.class, DetectedObjects.class, null));
    assertSame(Route.SEGMENT_DETECTED, Route.find(Image.class, DetectedObjects.class, "segment"));
    assertSame(Route.SEGMENT_GIVEN, Route.find(ImageObjects.class, DetectedObjects.class, null));
    assertSame(Route.KEYPOINT_GIVEN, Route.find(ImageObjects.class, Joints[].class, null));
    assertSame(Route.KEYPOINT_DETECTED, Route.find(Image.class, Joints[].class, "keypoint"));
    assertSame(Route.DESCRIBE, Route.find(Image.class, String.class, null));
    IllegalArgumentException task = assertThrows(IllegalArgumentException.class,
        () -> Route.find(Image.class, String.class, "detect"));
    assertTrue(task.getMessage().contains("expected one of [describe]"), task.getMessage());
    IllegalArgumentException types = assertThrows(IllegalArgumentException.class,
        () -> Route.find(String.class, Image.class, null));
    assertTrue(types.getMessage().contains("Image -> DetectedObjects"), types.getMessage());
  }

  @Test
  void theFactorySupportsExactlyTheRoutesTypes() {
    Pix2seqTranslatorFactory factory = new Pix2seqTranslatorFactory();
    assertEquals(5, factory.getSupportedTypes().size());
    assertTrue(factory.isSupported(ImageObjects.class, Joints[].class));
    assertTrue(factory.isSupported(Image.class, String.class));
    assertFalse(factory.isSupported(Image.class, Joints.class));
  }

  @Test
  void aCheckpointMustHaveBeenTrainedOnTheRoutesTasks() throws Exception {
    Path dir = Path.of("runs", "tiny", "checkpoint");
    Pix2seqTranslatorFactory.checkTrained(dir, List.of("detect", "segment"),
        Route.SEGMENT_DETECTED);
    Pix2seqLoadException e = assertThrows(Pix2seqLoadException.class,
        () -> Pix2seqTranslatorFactory.checkTrained(dir, List.of("detect", "describe"),
            Route.KEYPOINT_DETECTED));
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("(missing [keypoint])"), e.getMessage());
  }
}
