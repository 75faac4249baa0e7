package com.example.pix2seq.count;

import dev.pix2seq.tasks.TaskOptions;

/**
 * Options of the count task.
 *
 * @param maxCount counts above this are clipped to it
 */
public record CountOptions(int maxCount) implements TaskOptions {

  public CountOptions {
    if (maxCount < 1) {
      throw new IllegalArgumentException("count maxCount must be >= 1, found " + maxCount);
    }
  }
}
