package dev.pix2seq.tasks.segment;

import com.google.inject.Module;
import dev.pix2seq.tasks.TaskBindings;
import dev.pix2seq.tasks.TaskOptions;
import dev.pix2seq.tasks.TaskPlugin;
import java.util.Optional;

/** The built-in {@code segment} task. */
public final class SegmentationTaskPlugin implements TaskPlugin {

  @Override
  public String name() {
    return SegmentationCodec.NAME;
  }

  @Override
  public Module module() {
    return TaskBindings.moduleFor(
        SegmentationCodec.NAME,
        context -> new SegmentationCodec(
            context.vocabulary(),
            context.optionsFor(
                SegmentationCodec.NAME, SegmentationOptions.class,
                SegmentationOptions.defaults())));
  }

  @Override
  public Optional<TaskOptions> defaultOptions() {
    return Optional.of(SegmentationOptions.defaults());
  }
}
