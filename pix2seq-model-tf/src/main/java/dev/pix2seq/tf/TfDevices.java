package dev.pix2seq.tf;

import dev.pix2seq.api.config.Device;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.types.TFloat32;

/** Session options for the configured device, and the check that a requested GPU exists. */
final class TfDevices {

  private TfDevices() {}

  /**
   * The session configuration for {@code device}: on CPU every GPU is hidden; on GPU the
   * placement is TensorFlow's (GPU first, CPU for ops without a GPU kernel). Thread pools are
   * TensorFlow's defaults (one thread per core for each).
   *
   * @throws IllegalArgumentException if {@code device} is GPU and TensorFlow sees none
   */
  static ConfigProto sessionConfig(Device device) {
    ConfigProto.Builder config = ConfigProto.newBuilder().setAllowSoftPlacement(true);
    // Grappler's memory optimizer (GPU swapping and recomputation) and layout optimizer (NCHW
    // for GPUs) do nothing useful here but took a quarter of the first training step's graph
    // optimisation (over a second for the tiny preset); the fusing passes stay on.
    config.setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(
        RewriterConfig.newBuilder()
            .setMemoryOptimization(RewriterConfig.MemOptType.NO_MEM_OPT)
            .setLayoutOptimizer(RewriterConfig.Toggle.OFF)));
    if (device == Device.GPU) {
      requireGpu();
    } else {
      config.putDeviceCount("GPU", 0);
    }
    return config.build();
  }

  private static void requireGpu() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph).withDevice(DeviceSpec.newBuilder()
          .deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(0).build());
      Operand<TFloat32> probe = tf.math.add(tf.constant(1f), tf.constant(1f));
      ConfigProto strict = ConfigProto.newBuilder().setAllowSoftPlacement(false).build();
      try (Session session = new Session(graph, strict);
          Result result = session.runner().fetch(probe).run()) {
        if (result.size() != 1) {
          throw new IllegalStateException("the GPU probe returned no value");
        }
      }
    } catch (RuntimeException e) {
      // TensorFlow reports an unknown device as an IllegalArgumentException subclass
      // (TFInvalidArgumentException); any failure of the probe means no usable GPU
      throw new IllegalArgumentException(
          "device gpu requested, but TensorFlow finds no usable GPU (the CPU build "
              + "tensorflow-core-native:linux-x86_64 is on the classpath unless the "
              + "linux-x86_64-gpu one and CUDA 12 are installed); use device cpu. Cause: "
              + e.getMessage(), e);
    }
  }
}
