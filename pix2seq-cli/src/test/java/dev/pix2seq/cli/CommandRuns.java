package dev.pix2seq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs CLI commands in-process and captures what they print. */
final class CommandRuns {

  private CommandRuns() {}

  /**
   * Runs the command, expects the exit code and no stack trace, and returns its first error
   * line.
   */
  static String failure(int code, String... args) {
    String text = captured(true, code, args);
    assertFalse(text.contains("\tat "), "no stack trace: " + text);
    return text.lines().findFirst().orElse("");
  }

  /** Runs the command, expects the exit code, and returns what it printed to stdout. */
  static String output(int code, String... args) {
    return captured(false, code, args);
  }

  private static String captured(boolean stderr, int code, String... args) {
    PrintStream old = stderr ? System.err : System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    if (stderr) {
      System.setErr(capture);
    } else {
      System.setOut(capture);
    }
    try {
      assertEquals(code, Pix2seqCommand.execute(args));
    } finally {
      if (stderr) {
        System.setErr(old);
      } else {
        System.setOut(old);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
