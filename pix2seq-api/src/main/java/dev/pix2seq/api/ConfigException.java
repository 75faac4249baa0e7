package dev.pix2seq.api;

/** A configuration file or value that is malformed, of an unknown version or has unknown fields. */
public class ConfigException extends Pix2seqException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
