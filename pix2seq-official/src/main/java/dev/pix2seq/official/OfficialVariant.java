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
  MULTITASK_VIT_B_640("multitask-vit-b-640", 640, "multi_task/ckpt/vit_b_640x640"),
  /** Multi-task ViT-B at 1024 px. */
  MULTITASK_VIT_B_1024("multitask-vit-b-1024", 1024, "multi_task/ckpt/vit_b_1024x1024");

  private final String variantName;
  private final int imageSize;
  private final String releasedFolder;

  OfficialVariant(String variantName, int imageSize, String releasedFolder) {
    this.variantName = variantName;
    this.imageSize = imageSize;
    this.releasedFolder = releasedFolder;
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
   * What the official multi-task config ({@code configs/config_multi_task.py} with the {@code
   * vit-b} architecture) sets: coordinates at 1000 with 1000 bins, text at 3000, task tokens 10 to
   * 13, and the ViT-B sizes, which an import checks against the checkpoint's shapes.
   */
  public OfficialRunConfig runConfig() {
    Map<String, Integer> tasks = new LinkedHashMap<>();
    tasks.put("detect", 10);
    tasks.put("segment", 11);
    tasks.put("keypoint", 12);
    tasks.put("describe", 13);
    Map<String, Integer> sizes = new LinkedHashMap<>();
    sizes.put("patch_size", 16);
    sizes.put("num_encoder_layers", 12);
    sizes.put("dim_att", 768);
    sizes.put("dim_mlp", 3072);
    sizes.put("num_heads", 12);
    sizes.put("num_decoder_layers", 6);
    sizes.put("dim_att_dec", 512);
    sizes.put("dim_mlp_dec", 2048);
    sizes.put("num_heads_dec", 16);
    sizes.put("max_seq_len", 512);
    sizes.put("vocab_size", 35000);
    return new OfficialRunConfig(imageSize, 1000, 3000, 1000, tasks, sizes);
  }
}
