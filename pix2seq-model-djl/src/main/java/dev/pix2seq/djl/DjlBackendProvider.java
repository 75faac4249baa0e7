package dev.pix2seq.djl;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import dev.pix2seq.api.model.Backend;
import dev.pix2seq.api.model.BackendProvider;

/**
 * Service-loader entry of the DJL backend ({@code META-INF/services}): name {@value
 * DjlBackend#NAME}, a module binding {@link Backend} to {@link DjlBackend}. Does no work.
 */
public final class DjlBackendProvider implements BackendProvider {

  @Override
  public String name() {
    return DjlBackend.NAME;
  }

  @Override
  public Module module() {
    return new AbstractModule() {
      @Override
      protected void configure() {
        bind(Backend.class).to(DjlBackend.class);
      }
    };
  }
}
