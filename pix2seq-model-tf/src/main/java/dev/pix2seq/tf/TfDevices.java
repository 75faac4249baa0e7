package dev.pix2seq.tf;

import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

/** Session options for the configured device, and the check that a requested GPU exists. */
final class TfDevices {

  /**
   * System property: threads of TensorFlow's intra-op pool; default 1 for a decoder at most
   * {@value #NARROW_DECODER} wide, else 0 (TensorFlow's choice, one per core). TensorFlow makes
   * its thread pools once per process, from the first session's settings, so the first model
   * created in a JVM decides them for every later one. Measured on 2 cores (2026-12-08): a
   * second intra-op thread only splits the many small operations of a narrow network's decoding
   * step, and waking it costs more than it saves (tiny preset, batch 1: 0.30 against 0.75 ms a
   * step; training 84-90 against 93-95 images/s); from the small preset up (decoder 256 wide)
   * the second thread pays everywhere (small: encoding 8 images 2.8 -> 1.7 s, training 1.0 ->
   * 1.3 images/s, batch-1 decoding unchanged; ViT-B-640: encoding one image 3.9 -> 2.3 s).
   */
  static final String INTRA_OP_THREADS = "pix2seq.tf.intraOpThreads";

  /** The widest decoder that gets one intra-op thread by default. */
  static final int NARROW_DECODER = 160;

  /**
   * System property: threads of TensorFlow's inter-op pool, which runs independent operations at
   * once (the backward pass has many); default 0, TensorFlow's choice of one per core. Like the
   * intra-op pool, fixed by the first session of the process.
   */
  static final String INTER_OP_THREADS = "pix2seq.tf.interOpThreads";

  /**
   * System property: whether a decoding step (and a session's row gather) runs its operations
   * in the calling thread instead of handing them to the inter-op pool; default true. A step is
   * ~100 small operations in a chain, where each hand-over between threads cost about as much
   * as the operation (tiny preset on 2 cores: 1,400 -> 2,400 tokens/s at batch 1 and 7,000 ->
   * 11,000 at batch 8). Read when a model is created. A graph placed on several devices (GPU)
   * runs on the inter-op pool regardless.
   */
  static final String STEPS_IN_CALLER_THREAD = "pix2seq.tf.stepsInCallerThread";

  /** System property: whether decoding steps read frozen weights (default true). */
  static final String FROZEN_STEPS = "pix2seq.tf.frozenSteps";

  /** Run options that execute a run's operations in the thread that calls it. */
  static final RunOptions IN_CALLER_THREAD =
      RunOptions.newBuilder().setInterOpThreadPool(-1).build();

  private TfDevices() {}

  /** The value of {@value #STEPS_IN_CALLER_THREAD}. */
  static boolean stepsInCallerThread() {
    return flag(STEPS_IN_CALLER_THREAD);
  }

  /** The value of {@value #FROZEN_STEPS}. */
  static boolean frozenSteps() {
    return flag(FROZEN_STEPS);
  }

  /** The value of boolean system property {@code name}, true by default. */
  private static boolean flag(String name) {
    String value = System.getProperty(name, "true").trim();
    if (!value.equals("true") && !value.equals("false")) {
      throw new IllegalArgumentException(
          "system property " + name + " must be true or false, found '" + value + "'");
    }
    return value.equals("true");
  }

  /**
   * The session configuration for {@code device}: on CPU every GPU is hidden; on GPU the
   * placement is TensorFlow's (GPU first, CPU for ops without a GPU kernel). Thread pools:
   * {@value #INTRA_OP_THREADS} (default by the decoder's width) and {@value #INTER_OP_THREADS}
   * (default one per core).
   *
   * @throws IllegalArgumentException if {@code device} is GPU and TensorFlow sees none, or a
   *     thread property is not a whole number >= 0
   */
  static ConfigProto sessionConfig(Device device, ModelConfig model) {
    int intraOp = model.decoderWidth() <= NARROW_DECODER ? 1 : 0;
    ConfigProto.Builder config = ConfigProto.newBuilder().setAllowSoftPlacement(true)
        .setIntraOpParallelismThreads(threads(INTRA_OP_THREADS, intraOp))
        .setInterOpParallelismThreads(threads(INTER_OP_THREADS, 0));
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

  /** The value of thread-count property {@code name}; 0 lets TensorFlow choose. */
  static int threads(String name, int fallback) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("system property " + name + " must be a whole number "
        + ">= 0 (0: one per core), found '" + value + "'");
  }

  private static void requireGpu() {
    NativeLogs.quiet();
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
