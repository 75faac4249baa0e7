package dev.pix2seq.backend.contract;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pix2seq.api.ConfigException;
import dev.pix2seq.api.model.Backend;
import dev.pix2seq.runtime.backend.Backends;

/**
 * The contract suite against the TensorFlow Java backend, found by name through the service
 * loader; skipped while no {@code tf} backend is on the class path.
 */
class TfBackendContractTest extends BackendContract {

  @Override
  protected Backend backend() {
    Backends backends = Backends.discover();
    assumeTrue(backends.contains("tf"),
        "no 'tf' backend on the class path (available: " + backends.names() + ")");
    try {
      return backends.select("tf");
    } catch (ConfigException e) {
      throw new IllegalStateException("the 'tf' backend is listed but cannot be selected", e);
    }
  }
}
