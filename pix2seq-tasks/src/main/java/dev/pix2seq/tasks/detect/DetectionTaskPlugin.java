package dev.pix2seq.tasks.detect;

import com.google.inject.Module;
import dev.pix2seq.tasks.TaskBindings;
import dev.pix2seq.tasks.TaskOptions;
import dev.pix2seq.tasks.TaskPlugin;
import java.util.Optional;

/** The built-in {@code detect} task. */
public final class DetectionTaskPlugin implements TaskPlugin {

  @Override
  public String name() {
    return DetectionCodec.NAME;
  }

  @Override
  public Module module() {
    return TaskBindings.moduleFor(
        DetectionCodec.NAME,
        context -> new DetectionCodec(
            context.vocabulary(),
            context.optionsFor(
                DetectionCodec.NAME, DetectionOptions.class, DetectionOptions.defaults())));
  }

  @Override
  public Optional<TaskOptions> defaultOptions() {
    return Optional.of(DetectionOptions.defaults());
  }
}
