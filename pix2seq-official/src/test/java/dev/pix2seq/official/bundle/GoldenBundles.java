package dev.pix2seq.official.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPInputStream;

/**
 * The bundles TensorFlow wrote ({@code tools/tensor-bundle-golden/make_bundles.py}) and their
 * {@code expected.json}, found on the test class path under {@code /bundles}.
 */
final class GoldenBundles {

  private GoldenBundles() {}

  /** The folder holding the golden bundles. */
  static Path root() {
    try {
      return Path.of(GoldenBundles.class.getResource("/bundles/expected.json").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The absolute prefix of a golden bundle, e.g. {@code object/ckpt-1}. */
  static Path prefix(String relative) {
    return root().resolve(relative);
  }

  /** expected.json's description of one bundle ({@code object}, {@code saved}, ...). */
  static JsonNode expected(String bundle) {
    try {
      return new ObjectMapper().readTree(root().resolve("expected.json").toFile())
          .get("bundles").get(bundle);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies every file of the bundle with prefix {@code relative} into {@code dir}. */
  static Path copy(String relative, Path dir) throws IOException {
    Path source = prefix(relative);
    String name = source.getFileName().toString();
    try (var files = Files.list(source.getParent())) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (f.getFileName().toString().startsWith(name + ".")) {
          Files.copy(f, dir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return dir.resolve(name);
  }

  /** Unpacks the gzipped "many" bundle into {@code dir}; returns its prefix there. */
  static Path unpackMany(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (String suffix : new String[] {".index", ".data-00000-of-00001"}) {
      try (InputStream in = new GZIPInputStream(
          Files.newInputStream(prefix("many/ckpt-1" + suffix + ".gz")))) {
        Files.copy(in, dir.resolve("ckpt-1" + suffix));
      }
    }
    return dir.resolve("ckpt-1");
  }

  /** The name of tensor {@code i} of the "many" bundle. */
  static String manyName(int i) {
    return String.format("layer%04d_", i) + "w".repeat(200) + "/.ATTRIBUTES/VARIABLE_VALUE";
  }
}
