package dev.pix2seq.tasks.describe;

import com.google.inject.Module;
import dev.pix2seq.tasks.TaskBindings;
import dev.pix2seq.tasks.TaskOptions;
import dev.pix2seq.tasks.TaskPlugin;
import java.util.Optional;

/** The built-in {@code describe} task. */
public final class DescribeTaskPlugin implements TaskPlugin {

  @Override
  public String name() {
    return CaptionCodec.NAME;
  }

  @Override
  public Module module() {
    return TaskBindings.moduleFor(
        CaptionCodec.NAME,
        context -> new CaptionCodec(
            context.vocabulary(),
            context.optionsFor(
                CaptionCodec.NAME, DescribeOptions.class, DescribeOptions.defaults())));
  }

  @Override
  public Optional<TaskOptions> defaultOptions() {
    return Optional.of(DescribeOptions.defaults());
  }
}
