package dev.pix2seq.api.training;

import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.api.model.AbstractPix2seqModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The backend-independent part of a {@link ModelTrainer}: the step counter, every argument
 * check, the step's loss bookkeeping (the weighted total and the per-task means), the optimizer
 * state files ({@link AdamWStateFiles}) and the closed state. A backend extends it with its
 * tensor work only: {@link #update} (forward, gradients, clipping and the AdamW update of one
 * step), the moments' values ({@link #firstMoments}, {@link #secondMoments}, {@link
 * #restoreMoments}) and {@link #release}. Not thread-safe.
 */
public abstract class AbstractModelTrainer implements ModelTrainer {

  /**
   * What one update computed.
   *
   * @param batchLosses each batch's weighted-mean token loss, in batch order
   * @param gradientNorm the global gradient norm before clipping
   */
  public record Update(double[] batchLosses, double gradientNorm) {}

  private final AbstractPix2seqModel<?> model;
  private final TrainConfig config;
  private long steps;
  private boolean closed;

  protected AbstractModelTrainer(AbstractPix2seqModel<?> model, TrainConfig config) {
    model.ensureOpen();
    this.model = model;
    this.config = config;
  }

  /** The training settings. */
  protected final TrainConfig config() {
    return config;
  }

  @Override
  public final StepResult step(List<WeightedBatch> batches, double learningRate) {
    ensureOpen();
    if (batches.isEmpty()) {
      throw new IllegalArgumentException("a training step needs at least one batch");
    }
    if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "learning rate must be finite and >= 0, found " + learningRate);
    }
    for (WeightedBatch wb : batches) {
      checkBatch(wb.batch());
    }
    Update update = update(batches, learningRate, steps);
    steps++;
    Map<String, double[]> perTask = new LinkedHashMap<>();
    double total = 0;
    for (int k = 0; k < batches.size(); k++) {
      WeightedBatch wb = batches.get(k);
      double loss = update.batchLosses()[k];
      total += wb.weight() * loss;
      double[] sums = perTask.computeIfAbsent(wb.batch().task(), t -> new double[2]);
      sums[0] += wb.weight() * loss;
      sums[1] += wb.weight();
    }
    Map<String, Double> taskLosses = new LinkedHashMap<>();
    perTask.forEach((task, sums) -> taskLosses.put(task, sums[0] / sums[1]));
    return new StepResult(steps, total, taskLosses, update.gradientNorm(), learningRate);
  }

  @Override
  public final long steps() {
    return steps;
  }

  @Override
  public final void saveState(Path dir) throws CheckpointException {
    ensureOpen();
    AdamWStateFiles.write(dir, model.layout(), firstMoments(), secondMoments(), steps);
  }

  @Override
  public final void loadState(Path dir) throws CheckpointException {
    ensureOpen();
    AdamWStateFiles.State state = AdamWStateFiles.read(dir, model.layout());
    restoreMoments(state);
    steps = state.step();
  }

  @Override
  public final void close() {
    if (!closed) {
      closed = true;
      release();
    }
  }

  /**
   * One optimizer step over checked batches: the forward pass, the gradients, the global norm,
   * clipping by {@code config().gradientClipNorm()} and the AdamW update. A step whose gradient
   * norm is not finite must leave weights and moments unchanged and throw {@link
   * #nonFiniteGradient}.
   *
   * @param stepsBefore the steps taken before this one (dropout and bias correction use it)
   */
  protected abstract Update update(List<WeightedBatch> batches, double learningRate,
      long stepsBefore);

  /** Each parameter's first moment, by parameter name. */
  protected abstract Map<String, float[]> firstMoments();

  /** Each parameter's second moment, by parameter name. */
  protected abstract Map<String, float[]> secondMoments();

  /** Sets the moments to a saved state's. */
  protected abstract void restoreMoments(AdamWStateFiles.State state);

  /** Frees the trainer's resources; called once, by {@link #close}. Nothing by default. */
  protected void release() {}

  /** The error of a step whose gradient norm is not finite. */
  protected static ArithmeticException nonFiniteGradient(long stepsBefore, double norm,
      double loss) {
    return new ArithmeticException("step " + (stepsBefore + 1) + ": gradient norm is " + norm
        + " (loss " + loss + "); weights left unchanged");
  }

  private void checkBatch(TrainingBatch batch) {
    int max = model.config().maxSequenceLength();
    if (batch.length() > max) {
      throw new IllegalArgumentException("batch of task '" + batch.task() + "' has rows of "
          + batch.length() + " tokens, more than maxSequenceLength " + max);
    }
    model.checkTokens(batch.inputs(), 0);
    model.checkTokens(batch.targets(), 0);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the trainer has been closed");
    }
    model.ensureOpen();
  }
}
