package dev.pix2seq.tf;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quiets TensorFlow's native informational start-up lines on standard error (the oneDNN and
 * CPU-feature notes), which every process would otherwise print, by setting {@code
 * TF_CPP_MIN_LOG_LEVEL=1} in the process environment before TensorFlow first logs, unless the
 * user set it. Native warnings and errors still reach standard error. Two lines that TensorFlow's
 * bundled absl logging prints at the first graph run (the MLIR pass note and absl's "log messages
 * before absl::InitializeLog()" warning) are not governed by that variable and stay.
 * {@value #PROPERTY}{@code =true} leaves the environment alone. Done once per process, before the
 * first graph; not on Windows.
 */
final class NativeLogs {

  /** System property: {@code true} leaves TensorFlow's native logging as it is. */
  static final String PROPERTY = "pix2seq.tf.nativeLogs";

  private static final Logger LOG = LoggerFactory.getLogger(NativeLogs.class);

  private static boolean done;

  private NativeLogs() {}

  /** Quiets the start-up lines unless {@value #PROPERTY} is true; later calls do nothing. */
  static synchronized void quiet() {
    if (done) {
      return;
    }
    done = true;
    if (Boolean.parseBoolean(System.getProperty(PROPERTY, "false").trim().toLowerCase(
        Locale.ROOT)) || Platform.isWindows() || System.getenv("TF_CPP_MIN_LOG_LEVEL") != null) {
      return;
    }
    try {
      NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("setenv")
          .invokeInt(new Object[] {"TF_CPP_MIN_LOG_LEVEL", "1", 0});
    } catch (RuntimeException | LinkageError e) {
      LOG.debug("TensorFlow's native start-up lines stay: {}", e.toString());
    }
  }
}
