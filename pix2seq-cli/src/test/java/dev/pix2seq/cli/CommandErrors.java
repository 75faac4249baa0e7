package dev.pix2seq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs commands that must fail with one clear line. */
final class CommandErrors {

  private CommandErrors() {}

  /**
   * Runs the command, expects the exit code and no stack trace, and returns its first error
   * line.
   */
  static String failure(int code, String... args) {
    PrintStream oldErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      assertEquals(code, Pix2seqCommand.execute(args));
    } finally {
      System.setErr(oldErr);
    }
    String text = err.toString(StandardCharsets.UTF_8);
    assertFalse(text.contains("\tat "), "no stack trace: " + text);
    return text.lines().findFirst().orElse("");
  }
}
