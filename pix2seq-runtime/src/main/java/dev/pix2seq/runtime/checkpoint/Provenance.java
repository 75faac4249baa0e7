package dev.pix2seq.runtime.checkpoint;

import java.time.Instant;

/**
 * Where a checkpoint comes from: for people and reports; loading never depends on it.
 *
 * @param backend name of the backend that wrote the weights, e.g. {@code djl}
 * @param libraryVersion version of pix2seq-java that wrote the checkpoint
 * @param javaVersion the Java runtime that wrote it
 * @param createdAt when it was written (ISO-8601, UTC)
 * @param trainingStep optimiser steps taken when it was written (0 for an untrained model)
 */
public record Provenance(
    String backend, String libraryVersion, String javaVersion, String createdAt,
    long trainingStep) {

  public Provenance {
    if (backend == null || backend.isBlank()) {
      throw new IllegalArgumentException("provenance needs the backend's name");
    }
    libraryVersion = libraryVersion == null ? "" : libraryVersion;
    javaVersion = javaVersion == null ? "" : javaVersion;
    createdAt = createdAt == null ? "" : createdAt;
    if (trainingStep < 0) {
      throw new IllegalArgumentException("trainingStep must be >= 0, found " + trainingStep);
    }
  }

  /** The provenance of a checkpoint written now by this library and Java runtime. */
  public static Provenance now(String backend, long trainingStep) {
    return new Provenance(
        backend, LibraryVersion.current(), System.getProperty("java.version"),
        Instant.now().toString(), trainingStep);
  }
}
