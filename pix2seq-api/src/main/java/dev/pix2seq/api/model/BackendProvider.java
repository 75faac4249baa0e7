package dev.pix2seq.api.model;

import com.google.inject.Module;

/**
 * Service-provider entry of a backend, found with {@link java.util.ServiceLoader}: a name and a
 * side-effect-free Guice module that binds {@link Backend}. Creating the provider does no work.
 */
public interface BackendProvider {

  /** The backend's name, as in {@link Backend#name()}. */
  String name();

  /** A Guice module binding {@link Backend} to this backend's implementation. */
  Module module();
}
