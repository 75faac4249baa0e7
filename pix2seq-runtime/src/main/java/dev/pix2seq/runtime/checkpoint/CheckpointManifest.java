package dev.pix2seq.runtime.checkpoint;

import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.vocab.VocabLayout;
import dev.pix2seq.tasks.TaskContext;
import dev.pix2seq.tasks.TaskOptions;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The contents of a checkpoint's {@code model.json}: everything needed to rebuild the model and
 * its tasks except the weights and the tokenizer.
 *
 * @param formatVersion checkpoint format version ({@link #CURRENT_FORMAT_VERSION})
 * @param model the architecture
 * @param vocabSize token ids the model predicts (the vocabulary's size)
 * @param layout the vocabulary layout (also in {@code vocab.json}; they must agree)
 * @param categories the dataset categories in class-token order, with their keypoint schemas
 * @param tasks the tasks the model was trained on, in training order; copied
 * @param taskOptions the options each task was trained with, by task name; tasks absent here
 *     use their plug-in's defaults; copied
 * @param provenance who wrote the checkpoint and when
 */
public record CheckpointManifest(
    int formatVersion,
    ModelConfig model,
    int vocabSize,
    VocabLayout layout,
    List<Category> categories,
    List<String> tasks,
    Map<String, TaskOptions> taskOptions,
    Provenance provenance) {

  /** The checkpoint format this code reads and writes. */
  public static final int CURRENT_FORMAT_VERSION = 1;

  public CheckpointManifest {
    if (formatVersion != CURRENT_FORMAT_VERSION) {
      throw new IllegalArgumentException(
          "checkpoint format version must be " + CURRENT_FORMAT_VERSION + ", found "
              + formatVersion);
    }
    if (model == null || layout == null || provenance == null) {
      throw new IllegalArgumentException("a checkpoint manifest needs a model config, a layout "
          + "and provenance");
    }
    if (vocabSize < layout.textBase()) {
      throw new IllegalArgumentException(
          "vocabSize must be at least the layout's textBase " + layout.textBase() + ", found "
              + vocabSize);
    }
    categories = List.copyOf(categories);
    tasks = List.copyOf(tasks);
    Set<String> seen = new HashSet<>();
    for (String task : tasks) {
      if (!seen.add(task)) {
        throw new IllegalArgumentException("task '" + task + "' is listed twice in " + tasks);
      }
      if (!layout.taskTokens().containsKey(task)) {
        throw new IllegalArgumentException(
            "task '" + task + "' has no task token in the layout, which knows "
                + layout.taskTokens().keySet());
      }
    }
    Map<String, TaskOptions> options = new LinkedHashMap<>();
    for (Map.Entry<String, TaskOptions> e : taskOptions.entrySet()) {
      if (!seen.contains(e.getKey())) {
        throw new IllegalArgumentException(
            "options are given for task '" + e.getKey() + "', which is not among " + tasks);
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException("options of task '" + e.getKey() + "' are null");
      }
      options.put(e.getKey(), e.getValue());
    }
    taskOptions = Collections.unmodifiableMap(options);
  }

  /**
   * The manifest of a model trained on {@code tasks} with the options and vocabulary of {@code
   * context}.
   */
  public static CheckpointManifest of(
      Pix2seqModel model, TaskContext context, List<String> tasks, Provenance provenance) {
    Map<String, TaskOptions> options = new LinkedHashMap<>();
    for (String task : tasks) {
      TaskOptions o = context.options().get(task);
      if (o != null) {
        options.put(task, o);
      }
    }
    return new CheckpointManifest(
        CURRENT_FORMAT_VERSION, model.config(), model.vocabSize(),
        context.vocabulary().layout(), context.vocabulary().categories(), tasks, options,
        provenance);
  }
}
