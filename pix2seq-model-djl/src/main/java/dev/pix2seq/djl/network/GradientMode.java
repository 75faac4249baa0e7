package dev.pix2seq.djl.network;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Switches PyTorch's thread-local autograd recording for a block and restores the previous
 * mode on close. PyTorch records on new threads by default; inference turns it off so no graph
 * is kept, and the optimiser turns it off to update parameters in place.
 */
public final class GradientMode implements AutoCloseable {

  private final boolean previous;

  private GradientMode(boolean enabled) {
    previous = JniUtils.isGradMode();
    if (previous != enabled) {
      JniUtils.setGradMode(enabled);
    }
  }

  /** Turns recording off on this thread until {@link #close()}. */
  public static GradientMode off() {
    return new GradientMode(false);
  }

  @Override
  public void close() {
    if (JniUtils.isGradMode() != previous) {
      JniUtils.setGradMode(previous);
    }
  }
}
