package dev.pix2seq.official;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The released official checkpoints that an import can describe by name instead of by their
 * {@code config.json}: the image size, the tasks and the vocabulary offsets of the official
 * configs they were trained with. Network sizes always come from the checkpoint itself.
 */
public enum OfficialVariant {
  /** Multi-task ViT-B at 640 px: detection, instance segmentation, keypoints, captioning. */
  MULTITASK_VIT_B_640("multitask-vit-b-640", 640, "multi_task/ckpt/vit_b_640x640", true, false),
  /** Multi-task ViT-B at 1024 px. */
  MULTITASK_VIT_B_1024(
      "multitask-vit-b-1024", 1024, "multi_task/ckpt/vit_b_1024x1024", true, false),
  /** COCO detection fine-tune, ViT-B at 640 px (vocabulary 3000, no text). */
  DETECTION_VIT_B_640("det-vit-b-640", 640, "coco_det_finetune/vit_b_640x640", false, false),
  /** COCO detection fine-tune, ViT-B at 1024 px. */
  DETECTION_VIT_B_1024("det-vit-b-1024", 1024, "coco_det_finetune/vit_b_1024x1024", false, false),
  /** COCO detection fine-tune, ViT-L at 640 px. */
  DETECTION_VIT_L_640("det-vit-l-640", 640, "coco_det_finetune/vit_l_640x640", false, true),
  /** COCO detection fine-tune, ViT-L at 1024 px. */
  DETECTION_VIT_L_1024("det-vit-l-1024", 1024, "coco_det_finetune/vit_l_1024x1024", false, true);

  private final String variantName;
  private final int imageSize;
  private final String releasedFolder;
  private final boolean multiTask;
  private final boolean large;

  OfficialVariant(String variantName, int imageSize, String releasedFolder, boolean multiTask,
      boolean large) {
    this.variantName = variantName;
    this.imageSize = imageSize;
    this.releasedFolder = releasedFolder;
    this.multiTask = multiTask;
    this.large = large;
  }

  /** The name used by {@code pix2seq import-official --variant}. */
  public String variantName() {
    return variantName;
  }

  /** The folder of the official release bucket ({@code gs://pix2seq/...}) that holds it. */
  public String releasedFolder() {
    return releasedFolder;
  }

  /**
   * The variant of a name.
   *
   * @throws IllegalArgumentException naming the known variants if {@code name} is unknown
   */
  public static OfficialVariant of(String name) {
    for (OfficialVariant v : values()) {
      if (v.variantName.equals(name)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown variant '" + name + "'; known variants: "
        + Arrays.stream(values()).map(OfficialVariant::variantName)
            .collect(Collectors.joining(", ")));
  }

  /**
   * What the official config of this release sets ({@code configs/config_multi_task.py} or
   * {@code configs/config_det_finetune.py} with the {@code vit-b} or {@code vit-l} architecture):
   * coordinates at 1000 with 1000 bins, text at 3000, the task tokens (10 to 13, or detection's 10
   * alone), and the network sizes, which an import checks against the checkpoint's shapes.
   */
  public OfficialRunConfig runConfig() {
    Map<String, Integer> tasks = new LinkedHashMap<>();
    tasks.put("detect", 10);
    if (multiTask) {
      tasks.put("segment", 11);
      tasks.put("keypoint", 12);
      tasks.put("describe", 13);
    }
    Map<String, Integer> sizes = new LinkedHashMap<>();
    sizes.put("patch_size", 16);
    sizes.put("num_encoder_layers", large ? 24 : 12);
    sizes.put("dim_att", large ? 1024 : 768);
    sizes.put("dim_mlp", large ? 4096 : 3072);
    sizes.put("num_heads", large ? 16 : 12);
    sizes.put("num_decoder_layers", large ? 8 : 6);
    sizes.put("dim_att_dec", 512);
    sizes.put("dim_mlp_dec", 2048);
    sizes.put("num_heads_dec", 16);
    sizes.put("max_seq_len", 512);
    sizes.put("vocab_size", multiTask ? 35000 : 3000);
    return new OfficialRunConfig(imageSize, 1000, 3000, 1000, tasks, sizes);
  }
}
