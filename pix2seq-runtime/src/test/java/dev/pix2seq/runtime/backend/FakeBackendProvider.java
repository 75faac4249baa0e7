package dev.pix2seq.runtime.backend;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import dev.pix2seq.api.model.Backend;
import dev.pix2seq.api.model.BackendProvider;

/** Provides {@link FakeBackend} (for discovery tests). */
public final class FakeBackendProvider implements BackendProvider {

  @Override
  public String name() {
    return FakeBackend.NAME;
  }

  @Override
  public Module module() {
    return new AbstractModule() {
      @Override
      protected void configure() {
        bind(Backend.class).to(FakeBackend.class);
      }
    };
  }
}
