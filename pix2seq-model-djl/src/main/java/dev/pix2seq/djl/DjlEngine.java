package dev.pix2seq.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.pix2seq.api.config.Device;

/** Finds DJL's PyTorch engine and makes root managers on the configured device. */
final class DjlEngine {

  static final String ENGINE_NAME = "PyTorch";

  private DjlEngine() {}

  /**
   * A new root manager on {@code device}. Also gives PyTorch one intra-op thread per available
   * core unless the user chose a count ({@code -Dai.djl.pytorch.num_threads} or {@code
   * OMP_NUM_THREADS}).
   *
   * @throws IllegalArgumentException if {@code device} is GPU and the engine sees none
   * @throws IllegalStateException if the PyTorch native library cannot be loaded
   */
  static NDManager newManager(Device device) {
    Engine engine;
    try {
      engine = Engine.getEngine(ENGINE_NAME);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot load DJL's PyTorch engine (is pytorch-native-cpu on the classpath and "
              + "-Dai.djl.offline=true set when offline?): " + e.getMessage(), e);
    }
    useAllCores();
    ai.djl.Device target;
    if (device == Device.GPU) {
      if (engine.getGpuCount() < 1) {
        throw new IllegalArgumentException(
            "device gpu requested, but DJL's PyTorch engine finds no usable GPU (the bundled "
                + "libtorch is the CPU build unless a CUDA native library is configured); use "
                + "device cpu");
      }
      target = ai.djl.Device.gpu();
    } else {
      target = ai.djl.Device.cpu();
    }
    return engine.newBaseManager(target);
  }

  private static void useAllCores() {
    if (System.getProperty("ai.djl.pytorch.num_threads") != null
        || System.getenv("OMP_NUM_THREADS") != null) {
      return;
    }
    int cores = Runtime.getRuntime().availableProcessors();
    if (JniUtils.getNumThreads() != cores) {
      JniUtils.setNumThreads(cores);
    }
  }
}
