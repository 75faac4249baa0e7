package dev.pix2seq.djl;

import dev.pix2seq.api.model.AbstractBackendProvider;

/**
 * Service-loader entry of the DJL backend ({@code META-INF/services}): name {@value
 * DjlBackend#NAME}, bound to {@link DjlBackend}. Does no work.
 */
public final class DjlBackendProvider extends AbstractBackendProvider {

  public DjlBackendProvider() {
    super(DjlBackend.NAME, DjlBackend.class);
  }
}
