package dev.pix2seq.tasks.keypoint;

import com.google.inject.Module;
import dev.pix2seq.tasks.TaskBindings;
import dev.pix2seq.tasks.TaskOptions;
import dev.pix2seq.tasks.TaskPlugin;
import java.util.Optional;

/** The built-in {@code keypoint} task. */
public final class KeypointTaskPlugin implements TaskPlugin {

  @Override
  public String name() {
    return KeypointCodec.NAME;
  }

  @Override
  public Module module() {
    return TaskBindings.moduleFor(
        KeypointCodec.NAME,
        context -> new KeypointCodec(
            context.vocabulary(),
            context.optionsFor(
                KeypointCodec.NAME, KeypointOptions.class, KeypointOptions.defaults())));
  }

  @Override
  public Optional<TaskOptions> defaultOptions() {
    return Optional.of(KeypointOptions.defaults());
  }
}
