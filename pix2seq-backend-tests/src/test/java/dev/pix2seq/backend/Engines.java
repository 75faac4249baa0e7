package dev.pix2seq.backend;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pix2seq.api.ConfigException;
import dev.pix2seq.api.model.Backend;
import dev.pix2seq.runtime.backend.Backends;

/**
 * The backends on the test class path, found once through the service loader. {@link
 * #require(String)} fails an assumption for a missing backend, so a parity test skips (with the
 * reason) rather than fails while the TensorFlow backend is not installed.
 */
public final class Engines {

  private final Backends backends = Backends.discover();

  /** A new instance of the named backend; aborts the calling test if it is not available. */
  public Backend require(String name) {
    assumeTrue(backends.contains(name),
        "parity needs the '" + name + "' backend on the class path; found " + backends.names());
    try {
      return backends.select(name);
    } catch (ConfigException e) {
      throw new IllegalStateException("backend '" + name + "' is listed but cannot be selected",
          e);
    }
  }
}
