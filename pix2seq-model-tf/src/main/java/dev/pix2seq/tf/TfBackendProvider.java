package dev.pix2seq.tf;

import dev.pix2seq.api.model.AbstractBackendProvider;

/**
 * Service-loader entry of the TensorFlow backend ({@code META-INF/services}): name {@value
 * TfBackend#NAME}, bound to {@link TfBackend}. Does no work.
 */
public final class TfBackendProvider extends AbstractBackendProvider {

  public TfBackendProvider() {
    super(TfBackend.NAME, TfBackend.class);
  }
}
