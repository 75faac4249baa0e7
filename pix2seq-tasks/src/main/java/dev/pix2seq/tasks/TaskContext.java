package dev.pix2seq.tasks;

import dev.pix2seq.tokenizer.Vocabulary;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a {@link TaskCodecFactory} builds a codec from: the model's vocabulary and the options of
 * each task by task name. Tasks without an entry use their own defaults.
 *
 * <pre>{@code
 * TaskContext context = TaskContext.of(vocabulary)
 *     .withOptions("detect", DetectionOptions.defaults().withMaxObjects(50));
 * }</pre>
 *
 * @param vocabulary the unified vocabulary of the model
 * @param options options by task name; copied into a sorted map
 */
public record TaskContext(Vocabulary vocabulary, Map<String, TaskOptions> options) {

  public TaskContext {
    if (vocabulary == null) {
      throw new IllegalArgumentException("task context needs a vocabulary");
    }
    Map<String, TaskOptions> sorted = new TreeMap<>();
    if (options != null) {
      for (Map.Entry<String, TaskOptions> e : options.entrySet()) {
        if (e.getKey() == null || e.getValue() == null) {
          throw new IllegalArgumentException("task options need a task name and a value, found "
              + e.getKey() + "=" + e.getValue());
        }
        sorted.put(e.getKey(), e.getValue());
      }
    }
    options = Collections.unmodifiableMap(sorted);
  }

  /** A context where every task uses its default options. */
  public static TaskContext of(Vocabulary vocabulary) {
    return new TaskContext(vocabulary, Map.of());
  }

  /** This context with {@code taskOptions} for {@code task} (replacing any earlier entry). */
  public TaskContext withOptions(String task, TaskOptions taskOptions) {
    if (task == null || taskOptions == null) {
      throw new IllegalArgumentException("task name and options must not be null");
    }
    Map<String, TaskOptions> all = new TreeMap<>(options);
    all.put(task, taskOptions);
    return new TaskContext(vocabulary, all);
  }

  /**
   * The options given for {@code task}, or {@code defaults} when none were given.
   *
   * @throws IllegalArgumentException if the options given for the task are of another type
   */
  public <T extends TaskOptions> T optionsFor(String task, Class<T> type, T defaults) {
    TaskOptions given = options.get(task);
    if (given == null) {
      return defaults;
    }
    if (!type.isInstance(given)) {
      throw new IllegalArgumentException(
          "options of task '" + task + "' must be " + type.getSimpleName() + ", found "
              + given.getClass().getSimpleName());
    }
    return type.cast(given);
  }
}
