package dev.pix2seq.runtime.train;

import dev.pix2seq.api.DatasetException;
import dev.pix2seq.api.training.WeightedBatch;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Builds the next step's batches on one background thread while the backend trains. The
 * batches are a pure function of the step, so timing never changes them. Exceptions of the
 * background work surface from {@link #take}; {@link #close} cancels pending work and waits for
 * the thread to end. Used by one training thread.
 */
final class BatchPrefetcher implements AutoCloseable {
  /** Name of the background thread. */
  static final String THREAD_NAME = "pix2seq-batch-prefetch";

  private static final long CLOSE_WAIT_SECONDS = 60;

  private final StepBatches source;
  private final ExecutorService executor;
  private Future<List<WeightedBatch>> pending;
  private long pendingStep = -1;

  BatchPrefetcher(StepBatches source) {
    this.source = source;
    this.executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, THREAD_NAME);
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts building the batches of {@code step} in the background. */
  void prefetch(long step) {
    if (pending != null && pendingStep == step) {
      return;
    }
    if (pending != null) {
      pending.cancel(true);
    }
    pending = executor.submit(() -> source.forStep(step));
    pendingStep = step;
  }

  /**
   * The batches of {@code step}, waiting for the background work (started now if it was not).
   *
   * @throws DatasetException when the data of the step cannot be read
   * @throws InterruptedException when the calling thread is interrupted while waiting
   */
  List<WeightedBatch> take(long step) throws DatasetException, InterruptedException {
    prefetch(step);
    Future<List<WeightedBatch>> f = pending;
    pending = null;
    pendingStep = -1;
    try {
      return f.get();
    } catch (InterruptedException e) {
      f.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof DatasetException d) {
        throw new DatasetException(d.getMessage(), d);
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("building the batches of step " + step + " failed", cause);
    }
  }

  @Override
  public void close() {
    if (pending != null) {
      pending.cancel(true);
      pending = null;
    }
    executor.shutdownNow();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_WAIT_SECONDS);
    boolean interrupted = false;
    boolean terminated = false;
    while (!terminated) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        terminated = executor.awaitTermination(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (!terminated) {
      throw new IllegalStateException(
          THREAD_NAME + " did not stop within " + CLOSE_WAIT_SECONDS + " seconds");
    }
  }
}
