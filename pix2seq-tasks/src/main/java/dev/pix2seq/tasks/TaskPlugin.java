package dev.pix2seq.tasks;

import java.util.Optional;

import com.google.inject.Module;

/**
 * A task plug-in, found by {@link java.util.ServiceLoader}: list the implementing class (public,
 * with a public no-argument constructor) in {@code
 * META-INF/services/dev.pix2seq.tasks.TaskPlugin}.
 *
 * <p>The plug-in's module must be free of side effects (no I/O, no threads, nothing static) and
 * must contribute exactly one {@link TaskCodecFactory} under the plug-in's {@link #name()}:
 *
 * <pre>{@code
 * public final class CountTaskPlugin implements TaskPlugin {
 *   public String name() { return "count"; }
 *   public Module module() {
 *     return TaskBindings.moduleFor("count", context -> new CountCodec(context.vocabulary()));
 *   }
 * }
 * }</pre>
 */
public interface TaskPlugin {

  /** The task's name, as in configs and the vocabulary layout's task tokens. */
  String name();

  /** A side-effect-free Guice module that registers the task's codec factory. */
  Module module();

  /**
   * The task's default options, if it has any: their type is what a config file's entry for
   * this task is read as ({@code {"detect": {"maxObjects": 20}}} overrides fields of these
   * defaults).
   */
  default Optional<TaskOptions> defaultOptions() {
    return Optional.empty();
  }
}
