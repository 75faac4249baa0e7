package dev.pix2seq.backend.contract;

import dev.pix2seq.api.ConfigException;
import dev.pix2seq.api.model.Backend;
import dev.pix2seq.runtime.backend.Backends;

/** The contract suite against the DJL backend, found by name through the service loader. */
class DjlBackendContractTest extends BackendContract {

  @Override
  protected Backend backend() {
    try {
      return Backends.discover().select("djl");
    } catch (ConfigException e) {
      throw new IllegalStateException("the DJL backend is a test dependency of this module", e);
    }
  }
}
