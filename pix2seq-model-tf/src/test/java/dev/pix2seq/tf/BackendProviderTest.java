package dev.pix2seq.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.model.Backend;
import dev.pix2seq.api.model.BackendProvider;
import dev.pix2seq.api.testing.ModelFixtures;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class BackendProviderTest {

  @Test
  void serviceLoaderFindsTheTfBackendAndGuiceBindsIt() {
    BackendProvider found = null;
    for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
      if (p.name().equals("tf")) {
        found = p;
      }
    }
    assertInstanceOf(TfBackendProvider.class, found);
    Backend backend = Guice.createInjector(found.module()).getInstance(Backend.class);
    assertInstanceOf(TfBackend.class, backend);
    assertEquals("tf", backend.name());
  }

  @Test
  void gpuWithoutAGpuIsAClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new TfBackend().create(ModelFixtures.smallConfig(false), 10, Device.GPU, 1));
    assertTrue(e.getMessage().contains("no usable GPU"), e.getMessage());
  }

  @Test
  void widthsMustSuitTheSinCosPositions() {
    ModelConfig odd = new ModelConfig(1, "odd", 32, 8, false, 1, 30, 2, 64, 1, 32, 2, 64, 24, 0,
        0, 1e-6);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new TfBackend().create(odd, 10, Device.CPU, 1));
    assertTrue(e.getMessage().contains("multiples of 4"), e.getMessage());
  }
}
