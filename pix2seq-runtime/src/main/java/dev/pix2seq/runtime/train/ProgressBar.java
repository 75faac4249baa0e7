package dev.pix2seq.runtime.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A one-line training progress display. On a terminal it redraws one line with carriage returns
 * (at most five times a second, and at the last step):
 *
 * <pre>
 *   step   120/1000 [##-------------------]  12%  loss 2.3456  lr 1.00e-03  5.3 img/s  ETA 4m12s
 * </pre>
 *
 * Elsewhere (a log file, a CI console) it prints such a line at every twentieth of the run and at
 * the end, plus a line per checkpoint. Not thread-safe: use it as a listener of one run.
 *
 * <pre>{@code
 * TrainingRun.builder()...optListener(ProgressBar.forStderr()).build().run();
 * }</pre>
 */
public final class ProgressBar implements TrainingListener {
  private static final long REDRAW_NANOS = 200_000_000L;
  private static final int BAR_WIDTH = 20;
  private static final int PLAIN_LINES = 20;

  private final PrintStream out;
  private final boolean interactive;
  private long firstStep;
  private long totalSteps;
  private long startNanos;
  private long lastDrawNanos;
  private long plainEvery = 1;
  private int lastLength;
  private boolean drawn;

  /**
   * @param out where to draw (usually {@code System.err})
   * @param interactive whether {@code out} is a terminal that understands carriage returns
   */
  public ProgressBar(PrintStream out, boolean interactive) {
    if (out == null) {
      throw new IllegalArgumentException("progress bar needs an output stream");
    }
    this.out = out;
    this.interactive = interactive;
  }

  /** A progress bar on standard error, redrawn in place when a console is attached. */
  public static ProgressBar forStderr() {
    return new ProgressBar(System.err, System.console() != null);
  }

  @Override
  public void onStart(long first, long total) {
    firstStep = first;
    totalSteps = total;
    startNanos = System.nanoTime();
    lastDrawNanos = Long.MIN_VALUE;
    plainEvery = Math.max(1, (total - first) / PLAIN_LINES);
    drawn = false;
    if (first > 0) {
      println("resuming at step " + first + " of " + total);
    }
  }

  @Override
  public void onStep(StepMetrics m) {
    long now = System.nanoTime();
    boolean last = m.step() >= totalSteps;
    if (interactive) {
      if (last || lastDrawNanos == Long.MIN_VALUE || now - lastDrawNanos >= REDRAW_NANOS) {
        String line = line(m, now);
        StringBuilder sb = new StringBuilder("\r").append(line);
        for (int i = line.length(); i < lastLength; i++) {
          sb.append(' ');
        }
        out.print(sb);
        out.flush();
        lastLength = line.length();
        lastDrawNanos = now;
        drawn = true;
      }
    } else if ((m.step() - firstStep) % plainEvery == 0 || last) {
      out.println(line(m, now));
    }
  }

  @Override
  public void onCheckpoint(long step, Path checkpoint) {
    if (!interactive) {
      out.println("checkpoint at step " + step + ": " + checkpoint);
    }
  }

  @Override
  public void onFinish(TrainingSummary s) {
    String how = switch (s.reason()) {
      case COMPLETED -> "finished";
      case TIME_BUDGET -> "stopped (time budget)";
      case STOP_REQUESTED -> "stopped";
    };
    println(String.format(Locale.ROOT, "training %s at step %d of %d in %s; loss %.4f; "
        + "checkpoint %s", how, s.lastStep(), s.totalSteps(), duration(s.elapsedSeconds()),
        s.finalLoss(), s.checkpoint()));
  }

  private void println(String text) {
    if (interactive && drawn) {
      out.println();
      drawn = false;
      lastLength = 0;
    }
    out.println(text);
  }

  String line(StepMetrics m, long nowNanos) {
    double fraction = totalSteps == 0 ? 1 : Math.min(1, (double) m.step() / totalSteps);
    int filled = (int) Math.round(fraction * BAR_WIDTH);
    StringBuilder bar = new StringBuilder(BAR_WIDTH);
    for (int i = 0; i < BAR_WIDTH; i++) {
      bar.append(i < filled ? '#' : '-');
    }
    int digits = Long.toString(totalSteps).length();
    long done = m.step() - firstStep;
    double seconds = (nowNanos - startNanos) / 1e9;
    String eta = done > 0 && m.step() < totalSteps
        ? "  ETA " + duration(seconds / done * (totalSteps - m.step()))
        : "";
    return String.format(Locale.ROOT, "step %" + digits + "d/%d [%s] %3d%%  loss %.4f  lr %.2e  "
        + "%.1f img/s%s", m.step(), totalSteps, bar, Math.round(fraction * 100), m.loss(),
        m.learningRate(), m.imagesPerSecond(), eta);
  }

  static String duration(double seconds) {
    long s = Math.max(0, Math.round(seconds));
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
    }
    return (s / 3600) + "h" + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + "m";
  }
}
