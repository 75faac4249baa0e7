package dev.pix2seq.tasks;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.Stage;
import com.google.inject.TypeLiteral;
import dev.pix2seq.api.task.TaskCodec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The tasks known to this process: the {@link TaskPlugin}s found by {@link ServiceLoader}, wired
 * through one Guice injector, and their codecs by name. Immutable and thread-safe; codecs are
 * built on request (each call builds a new one, so a context may name a task token only for the
 * tasks it uses).
 *
 * <pre>{@code
 * TaskRegistry tasks = TaskRegistry.discover(Thread.currentThread().getContextClassLoader());
 * DetectionCodec detect = tasks.codec("detect", TaskContext.of(vocabulary), DetectionCodec.class);
 * }</pre>
 */
public final class TaskRegistry {

  private static final Key<Map<String, TaskCodecFactory>> FACTORY_MAP =
      Key.get(new TypeLiteral<Map<String, TaskCodecFactory>>() {});

  private final Map<String, TaskCodecFactory> factories;

  private final Map<String, TaskOptions> defaultOptions;

  private TaskRegistry(
      Map<String, TaskCodecFactory> factories, Map<String, TaskOptions> defaultOptions) {
    this.factories = Collections.unmodifiableMap(new TreeMap<>(factories));
    this.defaultOptions = Map.copyOf(defaultOptions);
  }

  /**
   * The registry of every plug-in listed in {@code META-INF/services/dev.pix2seq.tasks.TaskPlugin}
   * visible to {@code loader}.
   *
   * @throws IllegalStateException if two plug-ins share a name or a plug-in's module does not
   *     register exactly its own task
   * @throws java.util.ServiceConfigurationError if a listed plug-in cannot be loaded
   */
  public static TaskRegistry discover(ClassLoader loader) {
    List<TaskPlugin> plugins = new ArrayList<>();
    ServiceLoader.load(TaskPlugin.class, loader).forEach(plugins::add);
    return of(plugins);
  }

  /**
   * The registry of the given plug-ins.
   *
   * @throws IllegalStateException if two plug-ins share a name or a plug-in's module does not
   *     register exactly its own task
   */
  public static TaskRegistry of(List<? extends TaskPlugin> plugins) {
    Map<String, TaskPlugin> byName = new TreeMap<>();
    List<Module> modules = new ArrayList<>();
    modules.add(binder -> TaskBindings.codecFactories(binder));
    for (TaskPlugin p : plugins) {
      String name = p.name();
      if (name == null || name.isBlank()) {
        throw new IllegalStateException(
            "task plug-in " + p.getClass().getName() + " has no name");
      }
      TaskPlugin earlier = byName.put(name, p);
      if (earlier != null) {
        throw new IllegalStateException(
            "task '" + name + "' is registered twice, by " + earlier.getClass().getName()
                + " and " + p.getClass().getName());
      }
      modules.add(p.module());
    }
    Injector injector;
    try {
      injector = Guice.createInjector(Stage.PRODUCTION, modules);
    } catch (CreationException e) {
      throw new IllegalStateException(
          "task plug-ins " + byName.keySet() + " could not be wired: " + e.getMessage(), e);
    }
    Map<String, TaskCodecFactory> factories = injector.getInstance(FACTORY_MAP);
    if (!factories.keySet().equals(byName.keySet())) {
      throw new IllegalStateException(
          "task plug-ins named " + byName.keySet() + " but their modules registered codec "
              + "factories for " + new TreeSet<>(factories.keySet())
              + "; each plug-in must register exactly its own name");
    }
    Map<String, TaskOptions> defaults = new TreeMap<>();
    byName.forEach((name, plugin) -> plugin.defaultOptions().ifPresent(o -> defaults.put(name, o)));
    return new TaskRegistry(factories, defaults);
  }

  /** The default options of a task, empty when the task has none or is unknown. */
  public Optional<TaskOptions> defaultOptions(String task) {
    return Optional.ofNullable(defaultOptions.get(task));
  }

  /** The names of the known tasks, sorted. */
  public Set<String> taskNames() {
    return factories.keySet();
  }

  /** Whether a task of this name is known. */
  public boolean contains(String task) {
    return factories.containsKey(task);
  }

  /**
   * The codec factory of a task.
   *
   * @throws IllegalArgumentException for an unknown task (the message lists the known ones)
   */
  public TaskCodecFactory factory(String task) {
    TaskCodecFactory f = factories.get(task);
    if (f == null) {
      throw new IllegalArgumentException(
          "unknown task '" + task + "'; known tasks: " + String.join(", ", factories.keySet()));
    }
    return f;
  }

  /**
   * A new codec of a task.
   *
   * @throws IllegalArgumentException for an unknown task, or when the context does not suit the
   *     task (no task token in the vocabulary, options of the wrong type)
   * @throws IllegalStateException if the plug-in built a codec of another name
   */
  public TaskCodec<?, ?, ?> codec(String task, TaskContext context) {
    TaskCodec<?, ?, ?> codec = factory(task).create(context);
    if (codec == null || !task.equals(codec.name())) {
      throw new IllegalStateException(
          "the factory of task '" + task + "' built "
              + (codec == null ? "null" : "a codec named '" + codec.name() + "'"));
    }
    return codec;
  }

  /**
   * A new codec of a task, of the expected class.
   *
   * @throws IllegalArgumentException as {@link #codec(String, TaskContext)}, or when the codec
   *     is not a {@code type}
   */
  public <C extends TaskCodec<?, ?, ?>> C codec(String task, TaskContext context, Class<C> type) {
    TaskCodec<?, ?, ?> codec = codec(task, context);
    if (!type.isInstance(codec)) {
      throw new IllegalArgumentException(
          "task '" + task + "' has a " + codec.getClass().getName() + ", not a "
              + type.getName());
    }
    return type.cast(codec);
  }
}
