package dev.pix2seq.cli;

import static dev.pix2seq.cli.CommandRuns.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.checkpoint.Npy;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code import-official} and {@code logits} as a user runs them, on the golden case written by
 * the official code ({@code tools/official-golden}, kept in pix2seq-backend-tests' test
 * resources): the command line's logits equal the official model's on both backends, and bad
 * checkpoints give one line and write nothing.
 */
class OfficialCommandsTest {

  /** The golden case, relative to this module's folder (the tests' working directory). */
  private static final Path GOLDEN =
      Path.of("..", "pix2seq-backend-tests", "src", "test", "resources", "official-golden", "small");

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"djl", "tf"})
  void importedLogitsEqualTheOfficialCode(String backend, @TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("run");
    assertEquals(0, Pix2seqCommand.execute("import-official",
        "--checkpoint", GOLDEN.resolve("ckpt-1").toString(),
        "--config", GOLDEN.resolve("config.json").toString(),
        "--sentencepiece", GOLDEN.resolve("spm.model").toString(),
        "--out", run.toString()));
    Path out = tmp.resolve("logits.npy");
    assertEquals(0, Pix2seqCommand.execute("logits", "--model", run.toString(),
        "--image-tensor", GOLDEN.resolve("images.npy").toString(),
        "--tokens", GOLDEN.resolve("tokens.npy").toString(),
        "--out", out.toString(), "--backend", backend));
    Npy.Array ours = Npy.read(out);
    Npy.Array official = Npy.read(GOLDEN.resolve("logits.npy"));
    assertEquals(java.util.Arrays.toString(official.shape()),
        java.util.Arrays.toString(ours.shape()));
    float[] a = ours.floats();
    float[] b = official.floats();
    float worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    assertTrue(worst <= 1e-4f, backend + ": max difference " + worst);
  }

  @Test
  void badCheckpointsGiveOneLineAndWriteNothing(@TempDir Path tmp) throws Exception {
    Path copy = tmp.resolve("release");
    Files.createDirectories(copy);
    for (String f : new String[] {"ckpt-1.index", "ckpt-1.data-00000-of-00001"}) {
      Files.copy(GOLDEN.resolve(f), copy.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    try (RandomAccessFile data =
        new RandomAccessFile(copy.resolve("ckpt-1.data-00000-of-00001").toFile(), "rw")) {
      data.setLength(1000);
    }
    Path out = tmp.resolve("run");
    String truncated = failure(1, "import-official", "--checkpoint", copy.resolve("ckpt-1")
            .toString(), "--config", GOLDEN.resolve("config.json").toString(),
        "--sentencepiece", GOLDEN.resolve("spm.model").toString(), "--out", out.toString());
    assertTrue(truncated.contains("ckpt-1.data-00000-of-00001"), truncated);

    String missing = failure(1, "import-official", "--checkpoint",
        tmp.resolve("nowhere/ckpt-3").toString(), "--variant", "multitask-vit-b-640",
        "--out", out.toString());
    assertTrue(missing.contains("ckpt-3.index"), missing);

    String variant = failure(2, "import-official", "--checkpoint",
        GOLDEN.resolve("ckpt-1").toString(), "--variant", "vit-b-640", "--out", out.toString());
    assertTrue(variant.contains("unknown variant 'vit-b-640'"), variant);

    String size = failure(1, "import-official", "--checkpoint",
        GOLDEN.resolve("ckpt-1").toString(), "--variant", "multitask-vit-b-640",
        "--sentencepiece", GOLDEN.resolve("spm.model").toString(), "--out", out.toString());
    assertTrue(size.contains("another architecture or size"), size);
    assertFalse(Files.exists(out), "nothing is written by a failed import");
  }
}
