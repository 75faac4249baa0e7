package com.example.pix2seq.count;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import dev.pix2seq.tasks.TaskBindings;
import dev.pix2seq.tasks.TaskPlugin;

/** The count task's plug-in: listed in this test tree's META-INF/services. */
public final class CountTaskPlugin implements TaskPlugin {

  /** Default largest count. */
  public static final int DEFAULT_MAX_COUNT = 50;

  @Override
  public String name() {
    return CountCodec.NAME;
  }

  @Override
  public Module module() {
    return new AbstractModule() {
      @Override
      protected void configure() {
        bind(CountOptions.class).toInstance(new CountOptions(DEFAULT_MAX_COUNT));
        TaskBindings.codecFactories(binder()).addBinding(CountCodec.NAME)
            .to(CountCodecFactory.class);
      }
    };
  }
}
