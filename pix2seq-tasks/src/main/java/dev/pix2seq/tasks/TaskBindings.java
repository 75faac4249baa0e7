package dev.pix2seq.tasks;

import com.google.inject.AbstractModule;
import com.google.inject.Binder;
import com.google.inject.Module;
import com.google.inject.multibindings.MapBinder;

/** The Guice bindings through which task plug-ins register their codec factories. */
public final class TaskBindings {

  private TaskBindings() {}

  /**
   * The map of codec factories by task name. A plug-in module adds its entry with {@code
   * codecFactories(binder()).addBinding(name).toInstance(factory)} (or {@code .to(Class)} for a
   * factory with injected dependencies).
   */
  public static MapBinder<String, TaskCodecFactory> codecFactories(Binder binder) {
    return MapBinder.newMapBinder(binder, String.class, TaskCodecFactory.class);
  }

  /** A module that registers only {@code factory} under {@code task}. */
  public static Module moduleFor(String task, TaskCodecFactory factory) {
    if (task == null || task.isBlank() || factory == null) {
      throw new IllegalArgumentException("a task module needs a task name and a factory");
    }
    return new AbstractModule() {
      @Override
      protected void configure() {
        codecFactories(binder()).addBinding(task).toInstance(factory);
      }
    };
  }
}
