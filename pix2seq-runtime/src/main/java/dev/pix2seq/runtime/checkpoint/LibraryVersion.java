package dev.pix2seq.runtime.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of pix2seq-java on the class path, for provenance. */
final class LibraryVersion {
  private static final String POM_PROPERTIES =
      "/META-INF/maven/dev.pix2seq/pix2seq-runtime/pom.properties";
  private static final String UNKNOWN = "development build";

  private LibraryVersion() {}

  /** The jar manifest's implementation version, else Maven's pom.properties, else a marker. */
  static String current() {
    String v = LibraryVersion.class.getPackage().getImplementationVersion();
    if (v != null && !v.isBlank()) {
      return v;
    }
    try (InputStream in = LibraryVersion.class.getResourceAsStream(POM_PROPERTIES)) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String fromPom = p.getProperty("version");
        if (fromPom != null && !fromPom.isBlank()) {
          return fromPom;
        }
      }
    } catch (IOException e) {
      return UNKNOWN;
    }
    return UNKNOWN;
  }
}
