package dev.pix2seq.tf;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import dev.pix2seq.api.model.Backend;
import dev.pix2seq.api.model.BackendProvider;

/**
 * Service-loader entry of the TensorFlow backend ({@code META-INF/services}): name {@value
 * TfBackend#NAME}, a module binding {@link Backend} to {@link TfBackend}. Does no work.
 */
public final class TfBackendProvider implements BackendProvider {

  @Override
  public String name() {
    return TfBackend.NAME;
  }

  @Override
  public Module module() {
    return new AbstractModule() {
      @Override
      protected void configure() {
        bind(Backend.class).to(TfBackend.class);
      }
    };
  }
}
