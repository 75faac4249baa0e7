package com.example.pix2seq.count;

import dev.pix2seq.api.task.TaskCodec;
import dev.pix2seq.tasks.TaskCodecFactory;
import dev.pix2seq.tasks.TaskContext;
import jakarta.inject.Inject;

/** Builds the count codec; its default options are injected by the plug-in's module. */
public final class CountCodecFactory implements TaskCodecFactory {

  private final CountOptions defaults;

  @Inject
  public CountCodecFactory(CountOptions defaults) {
    this.defaults = defaults;
  }

  @Override
  public TaskCodec<?, ?, ?> create(TaskContext context) {
    return new CountCodec(
        context.vocabulary(), context.optionsFor(CountCodec.NAME, CountOptions.class, defaults));
  }
}
