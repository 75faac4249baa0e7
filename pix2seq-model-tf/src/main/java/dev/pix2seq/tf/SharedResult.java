package dev.pix2seq.tf;

import org.tensorflow.Result;
import org.tensorflow.types.TFloat32;

/**
 * A {@code Session.run} result whose tensors several holders use: it is closed, with all its
 * tensors, when the last holder {@linkplain #release() releases} it. Not thread-safe.
 */
final class SharedResult {

  private final Result result;
  private int holders;

  /** Shares {@code result} between {@code holders} holders (at least one). */
  SharedResult(Result result, int holders) {
    if (holders < 1) {
      throw new IllegalArgumentException("a shared result needs a holder, found " + holders);
    }
    this.result = result;
    this.holders = holders;
  }

  /** Fetched tensor {@code index}. */
  TFloat32 get(int index) {
    if (holders == 0) {
      throw new IllegalStateException("the result has been released");
    }
    return (TFloat32) result.get(index);
  }

  /** Gives up one holder's claim; the last one closes the result. */
  void release() {
    if (holders == 0) {
      throw new IllegalStateException("the result has been released by every holder");
    }
    if (--holders == 0) {
      result.close();
    }
  }
}
