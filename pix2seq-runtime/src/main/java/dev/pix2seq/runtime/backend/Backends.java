package dev.pix2seq.runtime.backend;

import com.google.inject.ConfigurationException;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import dev.pix2seq.api.ConfigException;
import dev.pix2seq.api.model.Backend;
import dev.pix2seq.api.model.BackendProvider;
import dev.pix2seq.api.model.ModelExporter;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The backends available to this process, by name. Finding them does no work beyond
 * instantiating the providers (which must be side-effect free); a backend is created when it is
 * selected, through a Guice injector of its provider's module. Immutable and thread-safe.
 *
 * <pre>{@code
 * Backend backend = Backends.discover().select("djl");
 * }</pre>
 */
public final class Backends {

  private final Map<String, BackendProvider> providers;

  private Backends(Map<String, BackendProvider> providers) {
    this.providers = Collections.unmodifiableMap(new TreeMap<>(providers));
  }

  /** The backends listed in {@code META-INF/services} visible to the context class loader. */
  public static Backends discover() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return discover(context != null ? context : Backends.class.getClassLoader());
  }

  /**
   * The backends listed in {@code META-INF/services/dev.pix2seq.api.model.BackendProvider}
   * visible to {@code loader}.
   *
   * @throws IllegalStateException if two providers share a name or a provider has none
   * @throws java.util.ServiceConfigurationError if a listed provider cannot be loaded
   */
  public static Backends discover(ClassLoader loader) {
    List<BackendProvider> found =
        ServiceLoader.load(BackendProvider.class, loader).stream()
            .map(ServiceLoader.Provider::get)
            .toList();
    return of(found);
  }

  /**
   * The given providers.
   *
   * @throws IllegalStateException if two providers share a name or a provider has none
   */
  public static Backends of(List<? extends BackendProvider> providers) {
    Map<String, BackendProvider> byName = new TreeMap<>();
    for (BackendProvider p : providers) {
      String name = p.name();
      if (name == null || name.isBlank()) {
        throw new IllegalStateException(
            "backend provider " + p.getClass().getName() + " has no name");
      }
      BackendProvider earlier = byName.put(name, p);
      if (earlier != null) {
        throw new IllegalStateException("backend '" + name + "' is provided twice, by "
            + earlier.getClass().getName() + " and " + p.getClass().getName());
      }
    }
    return new Backends(byName);
  }

  /** Names of the available backends, sorted. */
  public SortedSet<String> names() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(providers.keySet()));
  }

  /** Whether a backend of this name is available. */
  public boolean contains(String name) {
    return providers.containsKey(name);
  }

  /**
   * A new instance of the named backend.
   *
   * @throws ConfigException for an unknown name; the message lists the available backends
   * @throws IllegalStateException if the provider's module cannot be wired, binds no {@link
   *     Backend}, or binds one of another name
   */
  public Backend select(String name) throws ConfigException {
    BackendProvider provider = name == null ? null : providers.get(name);
    if (provider == null) {
      throw new ConfigException("unknown backend '" + name + "'; "
          + (providers.isEmpty()
              ? "no backend is on the class path (add pix2seq-model-djl or pix2seq-model-tf)"
              : "available backends: " + String.join(", ", providers.keySet())));
    }
    Backend backend;
    try {
      Injector injector = Guice.createInjector(Stage.PRODUCTION, provider.module());
      backend = injector.getInstance(Backend.class);
    } catch (CreationException | ConfigurationException | ProvisionException e) {
      throw new IllegalStateException("backend '" + name + "' (" + provider.getClass().getName()
          + ") could not be created: " + e.getMessage(), e);
    }
    if (!name.equals(backend.name())) {
      throw new IllegalStateException("backend provider '" + name + "' ("
          + provider.getClass().getName() + ") created a backend named '" + backend.name()
          + "'");
    }
    return backend;
  }

  /**
   * The export formats the available backends offer, each with the first backend (in name
   * order) that offers it.
   *
   * @throws IllegalStateException as {@link #select}
   */
  public SortedMap<String, String> exportFormats() throws ConfigException {
    SortedMap<String, String> formats = new TreeMap<>();
    for (String name : providers.keySet()) {
      for (ModelExporter e : select(name).exporters()) {
        formats.putIfAbsent(e.format(), name);
      }
    }
    return Collections.unmodifiableSortedMap(formats);
  }

  /**
   * A backend that offers the export format, and the format's exporter.
   *
   * @throws ConfigException when no available backend offers it; the message lists the formats
   *     there are
   */
  public Exporting exporting(String format) throws ConfigException {
    SortedMap<String, String> formats = exportFormats();
    String name = formats.get(format);
    if (name == null) {
      throw new ConfigException("no available backend exports '" + format + "'; "
          + (formats.isEmpty() ? "none offers any export format"
              : "formats: " + String.join(", ", formats.keySet())));
    }
    Backend backend = select(name);
    for (ModelExporter e : backend.exporters()) {
      if (e.format().equals(format)) {
        return new Exporting(backend, e);
      }
    }
    throw new IllegalStateException("backend '" + name + "' stopped offering " + format);
  }

  /**
   * An export format and the backend whose models it exports: load the model with {@code
   * backend}, then {@code exporter.export(model, out)}.
   *
   * @param backend the backend that loads the model
   * @param exporter the format's exporter
   */
  public record Exporting(Backend backend, ModelExporter exporter) {}
}
