package dev.pix2seq.tasks;

/**
 * Marker of a task's options record (such as {@code DetectionOptions}). Options are immutable
 * values validated when built; each options type names its defaults in one place, its {@code
 * defaults()} method.
 */
public interface TaskOptions {}
