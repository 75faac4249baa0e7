package dev.pix2seq.eval.coco;

import dev.pix2seq.api.DatasetException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Runs independent index tasks on a fixed number of threads. Each task writes only its own
 * slots, so results do not depend on scheduling. Closed after one evaluation.
 */
final class ParallelRunner implements AutoCloseable {
  /** One index of work; may fail with a dataset problem. */
  interface IndexTask {
    void run(int index) throws DatasetException;
  }

  private final int parallelism;
  private ForkJoinPool pool;

  ParallelRunner(int parallelism) {
    this.parallelism = parallelism;
  }

  /** Runs {@code task} for every index in {@code [0, n)}. */
  void forEach(int n, IndexTask task) throws DatasetException {
    if (parallelism == 1 || n < 2) {
      for (int i = 0; i < n; i++) {
        task.run(i);
      }
      return;
    }
    if (pool == null) {
      pool = new ForkJoinPool(parallelism);
    }
    AtomicInteger next = new AtomicInteger();
    int chunkSize = Math.max(1, Math.min(256, n / (parallelism * 32)));
    try {
      pool.submit(() -> IntStream.range(0, parallelism).parallel().forEach(w -> {
        int start;
        while ((start = next.getAndAdd(chunkSize)) < n) {
          int end = Math.min(n, start + chunkSize);
          for (int i = start; i < end; i++) {
            try {
              task.run(i);
            } catch (DatasetException e) {
              throw new TaskFailure(e);
            }
          }
        }
      })).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("evaluation interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      while (c instanceof RuntimeException && c.getCause() instanceof TaskFailure) {
        c = c.getCause();
      }
      if (c instanceof TaskFailure f) {
        throw f.problem;
      }
      if (c instanceof RuntimeException r) {
        throw r;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(c);
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdown();
    }
  }

  /** Carries a task's checked failure out of the pool. */
  private static final class TaskFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient DatasetException problem;

    TaskFailure(DatasetException problem) {
      super(problem.getMessage(), problem, false, false);
      this.problem = problem;
    }
  }
}
