package dev.pix2seq.demo.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.value.KeypointSchema;
import dev.pix2seq.data.synth.SyntheticSceneGenerator;
import dev.pix2seq.eval.coco.CocoEvalParams;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeypointSigmasTest {

  @Test
  void theStickFiguresGetCocoSigmasByBodyPartAndTheMedianForHeadAndNeck() {
    KeypointSchema figure = SyntheticSceneGenerator.PERSON_KEYPOINTS;
    double[] s = KeypointSigmas.forSchema(figure).orElseThrow();
    double[] coco = CocoEvalParams.cocoPersonSigmas();
    assertEquals(figure.size(), s.length);
    assertEquals(KeypointSigmas.fallbackSigma(), s[figure.names().indexOf("head")]);
    assertEquals(KeypointSigmas.fallbackSigma(), s[figure.names().indexOf("neck")]);
    assertEquals(coco[5], s[figure.names().indexOf("left_shoulder")]);
    assertEquals(coco[6], s[figure.names().indexOf("right_shoulder")]);
    assertEquals(coco[9], s[figure.names().indexOf("left_hand")], "a hand is a wrist");
    assertEquals(coco[15], s[figure.names().indexOf("right_foot")], "a foot is an ankle");
    assertEquals(coco[11], s[figure.names().indexOf("left_hip")]);
    assertEquals(0.072, KeypointSigmas.fallbackSigma(), 1e-12);
  }

  @Test
  void cocoNamesGiveCocoSigmasInAnyOrder() {
    KeypointSchema schema = new KeypointSchema(
        List.of("Right_Knee", "nose", "left_ear", "r_eye"), List.of());
    double[] coco = CocoEvalParams.cocoPersonSigmas();
    assertArrayEquals(new double[] {coco[13], coco[0], coco[3], coco[1]},
        KeypointSigmas.forSchema(schema).orElseThrow());
  }

  @Test
  void seventeenKeypointsKeepPycocotoolsDefaults() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 17; i++) {
      names.add("k" + i);
    }
    assertTrue(KeypointSigmas.forSchema(new KeypointSchema(names, List.of())).isEmpty());
  }

  @Test
  void sidePrefixesAreDropped() {
    assertEquals("knee", KeypointSigmas.bodyPart("left_knee"));
    assertEquals("knee", KeypointSigmas.bodyPart("RIGHT-KNEE"));
    assertEquals("eye", KeypointSigmas.bodyPart("l_eye"));
    assertEquals("right", KeypointSigmas.bodyPart("right"));
    assertEquals("head", KeypointSigmas.bodyPart("head"));
  }
}
