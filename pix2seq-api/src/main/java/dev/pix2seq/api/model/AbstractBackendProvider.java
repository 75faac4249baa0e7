package dev.pix2seq.api.model;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import java.util.Objects;

/**
 * The usual {@link BackendProvider}: a name and a module binding {@link Backend} to one class
 * with an injectable (e.g. no-argument) constructor. A backend's service-loader entry is then
 * one constructor call:
 *
 * <pre>{@code
 * public final class MyBackendProvider extends AbstractBackendProvider {
 *   public MyBackendProvider() {
 *     super(MyBackend.NAME, MyBackend.class);
 *   }
 * }
 * }</pre>
 */
public abstract class AbstractBackendProvider implements BackendProvider {

  private final String name;
  private final Class<? extends Backend> backendType;

  protected AbstractBackendProvider(String name, Class<? extends Backend> backendType) {
    this.name = Objects.requireNonNull(name, "name");
    this.backendType = Objects.requireNonNull(backendType, "backendType");
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final Module module() {
    return new AbstractModule() {
      @Override
      protected void configure() {
        bind(Backend.class).to(backendType);
      }
    };
  }
}
