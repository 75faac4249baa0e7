package dev.pix2seq.official.bundle;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * File names of a tensor bundle with prefix {@code P}: {@code P.index} and the data shards
 * {@code P.data-00000-of-00002}, {@code P.data-00001-of-00002} (shard and count in 5 digits).
 */
public final class BundlePaths {

  /** Suffix of the index (metadata) file. */
  public static final String INDEX_SUFFIX = ".index";

  private static final Pattern DATA_SUFFIX = Pattern.compile("\\.data-\\d{5}-of-\\d{5}$");

  private BundlePaths() {}

  /** {@code prefix.index}. */
  public static Path indexFile(Path prefix) {
    return sibling(prefix, INDEX_SUFFIX);
  }

  /** {@code prefix.data-SSSSS-of-NNNNN}. */
  public static Path dataFile(Path prefix, int shard, int numShards) {
    if (numShards < 1 || shard < 0 || shard >= numShards) {
      throw new IllegalArgumentException("shard " + shard + " of " + numShards);
    }
    return sibling(prefix, String.format(".data-%05d-of-%05d", shard, numShards));
  }

  /**
   * The prefix of a path that names the prefix itself, its {@code .index} file or one of its data
   * shards: {@code ckpt-5.index} and {@code ckpt-5.data-00000-of-00001} both give {@code ckpt-5}.
   */
  public static Path prefixOf(Path path) {
    Path name = path.getFileName();
    if (name == null) {
      return path;
    }
    String s = name.toString();
    if (s.endsWith(INDEX_SUFFIX) && s.length() > INDEX_SUFFIX.length()) {
      return path.resolveSibling(s.substring(0, s.length() - INDEX_SUFFIX.length()));
    }
    var m = DATA_SUFFIX.matcher(s);
    if (m.find() && m.start() > 0) {
      return path.resolveSibling(s.substring(0, m.start()));
    }
    return path;
  }

  private static Path sibling(Path prefix, String suffix) {
    Path name = prefix.getFileName();
    if (name == null) {
      throw new IllegalArgumentException("not a checkpoint prefix: " + prefix);
    }
    return prefix.resolveSibling(name + suffix);
  }
}
