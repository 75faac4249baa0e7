package dev.pix2seq.cli;

import picocli.CommandLine;

/** The version line of {@code pix2seq --version}, from the jar manifest. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Pix2seqCommand.class.getPackage().getImplementationVersion();
    return new String[] {
      "pix2seq " + (v == null ? "(development build)" : v),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor")
          + ")"
    };
  }
}
