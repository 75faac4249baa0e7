package dev.pix2seq.runtime.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import dev.pix2seq.api.ConfigException;
import dev.pix2seq.api.model.Backend;
import dev.pix2seq.api.model.BackendProvider;
import dev.pix2seq.api.model.ModelExporter;
import dev.pix2seq.api.model.Pix2seqModel;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendsTest {

  private record NamedProvider(String name, Module module) implements BackendProvider {}

  @Test
  void selectsAProviderByNameThroughItsModule() throws Exception {
    Backends backends = Backends.of(List.of(new FakeBackendProvider()));
    assertEquals(Set.of("fake"), backends.names());
    Backend b = backends.select("fake");
    assertInstanceOf(FakeBackend.class, b);
    assertEquals("fake", b.name());
  }

  @Test
  void discoversProvidersListedInServiceFiles(@TempDir Path dir) throws Exception {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(services.resolve(BackendProvider.class.getName()),
        "# test backend\n" + FakeBackendProvider.class.getName() + "\n");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
        getClass().getClassLoader())) {
      Backends backends = Backends.discover(loader);
      assertTrue(backends.contains("fake"), backends.names().toString());
      assertEquals("fake", backends.select("fake").name());
    }
  }

  @Test
  void anExportFormatIsFoundByNameAcrossTheBackends() throws Exception {
    ModelExporter zip = new ModelExporter() {
      @Override
      public String format() {
        return "zip";
      }

      @Override
      public String description() {
        return "a zip";
      }

      @Override
      public void export(Pix2seqModel model, Path out) {}
    };
    Backend exporting = new FakeBackend("other", List.of(zip));
    Backends backends = Backends.of(List.of(new FakeBackendProvider(),
        new NamedProvider("other", new AbstractModule() {
          @Override
          protected void configure() {
            bind(Backend.class).toInstance(exporting);
          }
        })));

    assertEquals(java.util.Map.of("zip", "other"), backends.exportFormats());
    Backends.Exporting found = backends.exporting("zip");
    assertEquals("other", found.backend().name());
    assertEquals(zip, found.exporter());
    ConfigException e = assertThrows(ConfigException.class, () -> backends.exporting("onnx"));
    assertEquals("no available backend exports 'onnx'; formats: zip", e.getMessage());
  }

  @Test
  void unknownNameListsTheAvailableBackends() {
    Backends backends = Backends.of(List.of(new FakeBackendProvider(),
        new NamedProvider("other", new AbstractModule() {
          @Override
          protected void configure() {
            bind(Backend.class).toInstance(new FakeBackend("other"));
          }
        })));
    ConfigException e = assertThrows(ConfigException.class, () -> backends.select("tf"));
    assertEquals("unknown backend 'tf'; available backends: fake, other", e.getMessage());
  }

  @Test
  void noBackendAtAllIsExplained() {
    ConfigException e =
        assertThrows(ConfigException.class, () -> Backends.of(List.of()).select("djl"));
    assertTrue(e.getMessage().contains("no backend is on the class path"), e.getMessage());
  }

  @Test
  void duplicateNamesAreRejected() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Backends.of(List.of(new FakeBackendProvider(), new FakeBackendProvider())));
    assertTrue(e.getMessage().contains("backend 'fake' is provided twice"), e.getMessage());
  }

  @Test
  void aModuleThatBindsNoBackendFailsClearly() {
    Backends backends = Backends.of(List.of(new NamedProvider("empty", binder -> {})));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> backends.select("empty"));
    assertTrue(e.getMessage().startsWith("backend 'empty'"), e.getMessage());
  }

  @Test
  void aBackendOfAnotherNameIsRejected() {
    Backends backends = Backends.of(List.of(new NamedProvider("djl", new AbstractModule() {
      @Override
      protected void configure() {
        bind(Backend.class).toInstance(new FakeBackend());
      }
    })));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> backends.select("djl"));
    assertTrue(e.getMessage().contains("created a backend named 'fake'"), e.getMessage());
  }
}
