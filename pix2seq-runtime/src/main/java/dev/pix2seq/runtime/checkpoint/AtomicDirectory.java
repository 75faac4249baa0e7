package dev.pix2seq.runtime.checkpoint;

import dev.pix2seq.api.CheckpointException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a directory as a whole. The new contents are written into the sibling {@code
 * .NAME.writing}, flushed to disk, then swapped in: the old directory is renamed to {@code
 * .NAME.previous}, the new one to {@code NAME}, and the old one deleted. A crash before the
 * swap leaves the old directory untouched; a crash between the two renames leaves the old one
 * as {@code .NAME.previous}, which {@link #recover} renames back and {@link #readable} finds.
 */
final class AtomicDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(AtomicDirectory.class);

  /** Writes the contents of a directory. */
  @FunctionalInterface
  interface Contents {
    void write(Path dir) throws CheckpointException;
  }

  private AtomicDirectory() {}

  static Path writingOf(Path target) {
    return sibling(target, ".writing");
  }

  static Path previousOf(Path target) {
    return sibling(target, ".previous");
  }

  private static Path sibling(Path target, String suffix) {
    Path abs = target.toAbsolutePath().normalize();
    return abs.resolveSibling("." + abs.getFileName() + suffix);
  }

  /**
   * The directory to read {@code target}'s contents from: {@code target} itself, or its
   * previous version when a swap was interrupted after the old one was moved aside; null when
   * neither holds {@code marker}.
   */
  static Path readable(Path target, String marker) {
    if (Files.isRegularFile(target.resolve(marker))) {
      return target;
    }
    Path previous = previousOf(target);
    if (!Files.exists(target) && Files.isRegularFile(previous.resolve(marker))) {
      return previous;
    }
    return null;
  }

  /**
   * Undoes an interrupted swap: when {@code target} is missing and its previous version is
   * complete (holds {@code marker}), renames it back.
   */
  static void recover(Path target, String marker) throws CheckpointException {
    Path previous = previousOf(target);
    if (!Files.exists(target) && Files.isRegularFile(previous.resolve(marker))) {
      LOG.warn("{}: restoring the checkpoint from {}, left by an interrupted save", target,
          previous);
      try {
        move(previous, target);
      } catch (IOException e) {
        throw new CheckpointException(
            target + ": cannot restore the previous checkpoint from " + previous + ": "
                + e.getMessage(), e);
      }
    }
  }

  /** Replaces {@code target} by what {@code contents} writes; see the class notes. */
  static void replace(Path target, String marker, Contents contents) throws CheckpointException {
    Path abs = target.toAbsolutePath().normalize();
    Path writing = writingOf(abs);
    Path previous = previousOf(abs);
    try {
      Files.createDirectories(abs.getParent());
    } catch (IOException e) {
      throw new CheckpointException(abs.getParent() + ": cannot create directory: "
          + e.getMessage(), e);
    }
    recover(abs, marker);
    refuseForeign(abs, marker);
    try {
      deleteRecursively(writing);
      Files.createDirectory(writing);
    } catch (IOException e) {
      throw new CheckpointException(writing + ": cannot prepare the temporary checkpoint "
          + "directory: " + e.getMessage(), e);
    }
    try {
      contents.write(writing);
      if (!Files.isRegularFile(writing.resolve(marker))) {
        throw new IllegalStateException("the checkpoint writer did not write " + marker);
      }
      syncTree(writing);
    } catch (IOException e) {
      discard(writing, e);
      throw new CheckpointException(writing + ": cannot write: " + e.getMessage(), e);
    } catch (CheckpointException | RuntimeException | Error e) {
      discard(writing, e);
      throw e;
    }
    try {
      deleteRecursively(previous);
      boolean hadOld = Files.exists(abs);
      if (hadOld) {
        move(abs, previous);
      }
      try {
        move(writing, abs);
      } catch (IOException e) {
        if (hadOld) {
          move(previous, abs);
        }
        throw e;
      }
      syncDirectory(abs.getParent());
    } catch (IOException e) {
      discard(writing, e);
      throw new CheckpointException(abs + ": cannot swap in the new checkpoint from " + writing
          + ": " + e.getMessage(), e);
    }
    try {
      deleteRecursively(previous);
    } catch (IOException e) {
      LOG.warn("{}: cannot delete the replaced checkpoint: {}", previous, e.getMessage());
    }
  }

  /** Fails when {@code target} is a non-empty directory without {@code marker}: not ours. */
  private static void refuseForeign(Path target, String marker) throws CheckpointException {
    if (!Files.exists(target) || Files.isRegularFile(target.resolve(marker))) {
      return;
    }
    boolean empty;
    try (Stream<Path> s = Files.list(target)) {
      empty = s.findAny().isEmpty();
    } catch (IOException e) {
      throw new CheckpointException(target + ": cannot list: " + e.getMessage(), e);
    }
    if (!empty) {
      throw new CheckpointException(target + ": exists and holds no " + marker
          + "; refusing to replace a directory that is not a checkpoint");
    }
  }

  private static void discard(Path writing, Throwable failure) {
    try {
      deleteRecursively(writing);
    } catch (IOException suppressed) {
      failure.addSuppressed(suppressed);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** Flushes every file and directory under {@code dir} to the storage device. */
  private static void syncTree(Path dir) throws IOException {
    List<Path> paths = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      s.forEach(paths::add);
    }
    for (Path p : paths) {
      if (Files.isRegularFile(p)) {
        try (FileChannel c = FileChannel.open(p, StandardOpenOption.READ)) {
          c.force(true);
        }
      } else {
        syncDirectory(p);
      }
    }
  }

  /** Flushes a directory entry list where the platform allows it (not on Windows). */
  private static void syncDirectory(Path dir) {
    try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
      c.force(true);
    } catch (IOException e) {
      LOG.debug("cannot flush directory {}: {}", dir, e.getMessage());
    }
  }
}
