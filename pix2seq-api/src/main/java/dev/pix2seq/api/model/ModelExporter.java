package dev.pix2seq.api.model;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An export format a backend offers ({@link Backend#exporters()}): writes a model that this
 * backend loaded into a folder another runtime can serve. Chosen by {@link #format()}, so
 * callers (the CLI's {@code export --format}) never name a backend module.
 */
public interface ModelExporter {

  /** The format's name, as {@code export --format} takes it, e.g. {@code savedmodel}. */
  String format();

  /** One line on what the export holds. */
  String description();

  /**
   * Writes {@code model} to {@code out}, a new or empty folder.
   *
   * @throws IllegalArgumentException if {@code model} was not loaded by this exporter's backend
   *     or {@code out} is not a new or empty folder
   * @throws IOException if the folder cannot be written
   */
  void export(Pix2seqModel model, Path out) throws IOException;
}
