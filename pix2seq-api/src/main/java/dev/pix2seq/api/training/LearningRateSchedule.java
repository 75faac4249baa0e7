package dev.pix2seq.api.training;

import dev.pix2seq.api.config.TrainConfig;

/**
 * Linear warm-up to the peak rate, then linear, cosine or no decay to zero at the last step.
 *
 * @param peak the peak learning rate
 * @param warmupSteps steps of linear warm-up (the first step uses {@code peak / warmupSteps})
 * @param totalSteps the step count the decay ends at
 * @param decay {@code linear}, {@code cosine} or {@code constant}
 */
public record LearningRateSchedule(double peak, int warmupSteps, int totalSteps, String decay) {

  public LearningRateSchedule {
    if (!(peak > 0)) {
      throw new IllegalArgumentException("peak learning rate must be > 0, found " + peak);
    }
    if (warmupSteps < 0 || totalSteps < 1) {
      throw new IllegalArgumentException(
          "warmupSteps must be >= 0 and totalSteps >= 1, found " + warmupSteps + ", "
              + totalSteps);
    }
    if (!decay.equals("linear") && !decay.equals("cosine") && !decay.equals("constant")) {
      throw new IllegalArgumentException(
          "decay must be linear, cosine or constant, found '" + decay + "'");
    }
  }

  /** The schedule a training config describes. */
  public static LearningRateSchedule of(TrainConfig config) {
    return new LearningRateSchedule(
        config.learningRate(), config.warmupSteps(), config.steps(), config.schedule());
  }

  /** The rate of step {@code step} (0-based: the first step is 0). */
  public double rate(long step) {
    if (step < warmupSteps) {
      return peak * (step + 1) / warmupSteps;
    }
    if (decay.equals("constant") || totalSteps <= warmupSteps) {
      return peak;
    }
    double progress = Math.min(1.0, (double) (step - warmupSteps) / (totalSteps - warmupSteps));
    return switch (decay) {
      case "linear" -> peak * (1 - progress);
      default -> peak * 0.5 * (1 + Math.cos(Math.PI * progress));
    };
  }
}
