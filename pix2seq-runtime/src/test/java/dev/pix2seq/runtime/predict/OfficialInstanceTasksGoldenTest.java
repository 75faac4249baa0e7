package dev.pix2seq.runtime.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Keypoint;
import dev.pix2seq.api.value.Keypoints;
import dev.pix2seq.api.value.RleMask;
import dev.pix2seq.api.value.Visibility;
import dev.pix2seq.api.vocab.VocabLayout;
import dev.pix2seq.data.augment.OfficialResize;
import dev.pix2seq.tokenizer.Vocabulary;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official decoding of segmentation and keypoint responses against what the official task
 * classes computed from the same responses ({@code official-golden/tasks.json}, written by
 * tools/official-golden/make_task_golden.py from the official code at eabd4e9): prompts, the
 * 8-sample mask vote (pycocotools counts), the INVISIBLE suppression's nucleus, keypoint
 * positions and scores.
 */
class OfficialInstanceTasksGoldenTest {

  private static final VocabLayout LAYOUT = Vocabulary.defaultLayout();
  private static JsonNode golden;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = OfficialInstanceTasksGoldenTest.class.getResourceAsStream(
        "/official-golden/tasks.json")) {
      golden = new ObjectMapper().readTree(in);
    }
  }

  @Test
  void segmentationPromptsAndVotedMasksEqualTheOfficialOnes() {
    int side = golden.get("side").asInt();
    int checked = 0;
    for (JsonNode c : golden.get("segmentation")) {
      int h = c.get("height").asInt();
      int w = c.get("width").asInt();
      OfficialFrame frame = OfficialFrame.whole(w, h, side);
      assertEquals(c.get("resized").get(0).asInt(), frame.resizedHeight());
      assertEquals(c.get("resized").get(1).asInt(), frame.resizedWidth());
      assertEquals(OfficialSegmentation.SAMPLES, c.get("num_samples").asInt());
      assertEquals(OfficialSegmentation.TOP_P, c.get("top_p").asDouble(), 0);
      assertEquals(2 * OfficialSegmentation.MAX_POINTS + OfficialTokens.INSTANCE_PROMPT_LENGTH,
          c.get("max_seq_len").asInt());
      for (JsonNode o : c.get("instances")) {
        JsonNode b = o.get("box_normalised_by_image");
        BoundingBox box = new BoundingBox(b.get(1).asDouble() * w, b.get(0).asDouble() * h,
            b.get(3).asDouble() * w, b.get(2).asDouble() * h);
        int[] prompt = OfficialTokens.instancePrompt(LAYOUT.taskToken("segment"),
            frame.promptBox(box), LAYOUT.classBase() + o.get("category_id").asInt(), LAYOUT);
        assertArrayEquals(ints(o.get("prompt")), prompt, "prompt of " + b);

        int[][] responses = new int[OfficialSegmentation.SAMPLES][];
        for (int s = 0; s < responses.length; s++) {
          responses[s] = ints(o.get("responses").get(s));
        }
        RleMask mask = OfficialSegmentation.vote(responses, frame, LAYOUT);
        assertEquals(h, mask.height());
        assertEquals(w, mask.width());
        assertEquals(o.get("mask_area").asLong(), mask.area(), "area in " + h + "x" + w);
        assertEquals(o.get("mask_counts").asText(),
            CocoResultsWriter.CompressedRle.of(mask).counts(), "mask in " + h + "x" + w);
        checked++;
      }
    }
    assertEquals(4, checked);
  }

  @Test
  void keypointPromptsSuppressionPointsAndScoresEqualTheOfficialOnes() {
    int side = golden.get("side").asInt();
    int vocab = golden.get("vocab_size").asInt();
    for (JsonNode c : golden.get("keypoints")) {
      int[] crop = ints(c.get("crop_size"));
      int[] offset = ints(c.get("crop_offset"));
      int[] resized = OfficialResize.targetSize(crop[1], crop[0], side);
      assertEquals(c.get("resized").get(0).asInt(), resized[1]);
      assertEquals(c.get("resized").get(1).asInt(), resized[0]);
      OfficialFrame frame = new OfficialFrame(side, c.get("width").asInt(),
          c.get("height").asInt(), offset[1], offset[0], crop[1], crop[0], resized[0],
          resized[1]);
      float[] box = floats(c.get("prompt_box"));
      assertArrayEquals(ints(c.get("prompt").get(0)), OfficialTokens.instancePrompt(
          LAYOUT.taskToken("keypoint"), box, LAYOUT.classBase() + 1, LAYOUT));
      assertEquals(OfficialKeypoints.TOP_P, c.get("top_p").asDouble(), 0);
      assertEquals(34 + OfficialTokens.INSTANCE_PROMPT_LENGTH, c.get("max_seq_len").asInt());

      int[] tokens = ints(c.get("tokens"));
      float[][] logits = new float[tokens.length][vocab];
      for (JsonNode e : c.get("logit_entries")) {
        logits[e.get(0).asInt()][e.get(1).asInt()] = (float) e.get(2).asDouble();
      }
      int[] resampled = tokens.clone();
      OfficialKeypoints.suppressInvisible(
          resampled, logits, LAYOUT.invisible(), OfficialKeypoints.TOP_P, new SplittableRandom(1));
      for (var dropped : c.get("suppression_dropped").properties()) {
        int j = Integer.parseInt(dropped.getKey());
        float[] kept = OfficialKeypoints.suppressionLogits(logits, j, OfficialKeypoints.TOP_P);
        TreeSet<Integer> masked = new TreeSet<>();
        for (int v = 0; v < kept.length; v++) {
          if (kept[v] <= -1e10f) {
            masked.add(v);
          }
        }
        assertEquals(setOf(dropped.getValue()), masked, "ids dropped at position " + j);
        assertTrue(resampled[j] != LAYOUT.invisible());
      }
      int[] finalTokens = ints(c.get("final_tokens"));
      Keypoints found = OfficialKeypoints.decode(finalTokens, logits, frame, box, 17, LAYOUT);
      assertEquals(c.get("score").asDouble(), found.score(), 1e-6);
      float[] yx = floats(c.get("points_yx"));
      for (int p = 0; p < 17; p++) {
        Keypoint k = found.points().get(p);
        boolean reserved = isReserved(yx[2 * p]) || isReserved(yx[2 * p + 1]);
        if (reserved) {
          assertEquals(Visibility.UNLABELED, k.visibility(), "keypoint " + p);
        } else {
          assertEquals(Visibility.VISIBLE, k.visibility(), "keypoint " + p);
          assertEquals(yx[2 * p], k.y(), Math.ulp(yx[2 * p]), "y of keypoint " + p);
          assertEquals(yx[2 * p + 1], k.x(), Math.ulp(yx[2 * p + 1]), "x of keypoint " + p);
        }
      }
    }
  }

  /** The worked example of docs/official-task-conventions.md section 3.1. */
  @Test
  void keypointCropFrameAndPromptFollowTheOfficialPipeline() {
    BoundingBox person = new BoundingBox(200.7, 100.3, 260.9, 300.2);
    OfficialFrame frame = OfficialFrame.keypointCrop(person, 640, 480, 640);
    assertEquals(List.of(169, 0, 124, 401, 198, 640), List.of(frame.regionX(), frame.regionY(),
        frame.regionWidth(), frame.regionHeight(), frame.resizedWidth(), frame.resizedHeight()));
    int[] prompt = OfficialTokens.instancePrompt(
        LAYOUT.taskToken("keypoint"), frame.promptBox(person), LAYOUT.classBase() + 1, LAYOUT);
    assertArrayEquals(new int[] {12, 1250, 1079, 1748, 1229, 101}, prompt);
    assertEquals(200.5f, frame.imageY(0.5f), 1e-3);
    assertEquals(369.404f, frame.imageX(0.5f), 1e-3);
  }

  @Test
  void anInvisibleValueLeftAfterSuppressionBecomesTheBoxCentre() {
    OfficialFrame frame = OfficialFrame.whole(640, 640, 640);
    int[] tokens = new int[34];
    Arrays.fill(tokens, 1500);
    tokens[0] = LAYOUT.invisible();
    tokens[3] = LAYOUT.invisible();
    float[][] logits = new float[34][2000];
    float[] box = {0.2f, 0.4f, 0.6f, 0.8f};
    Keypoints found = OfficialKeypoints.decode(tokens, logits, frame, box, 17, LAYOUT);
    float half = 1500 - 1000;
    assertEquals(0.4f * 640, found.points().get(0).y(), 1e-3, "y: the centre's");
    assertEquals(half / 999f * 640, found.points().get(0).x(), 1e-3, "x: its own");
    assertEquals(0.6f * 640, found.points().get(1).x(), 1e-3, "x: the centre's");
    assertEquals(Visibility.VISIBLE, found.points().get(1).visibility());
  }

  /** Padding or separator, which the official code leaves unscaled. */
  private static boolean isReserved(float v) {
    return v == -1f || v == -2f;
  }

  private static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asInt();
    }
    return out;
  }

  private static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) array.get(i).asDouble();
    }
    return out;
  }

  private static TreeSet<Integer> setOf(JsonNode array) {
    List<Integer> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asInt()));
    return new TreeSet<>(values);
  }
}
