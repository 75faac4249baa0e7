package dev.pix2seq.api.config;

/** Validation shared by the config records; messages name the field and the value found. */
final class ConfigChecks {
  private ConfigChecks() {}

  static void version(String config, int found, int current) {
    if (found != current) {
      throw new IllegalArgumentException(
          config + ".version must be " + current + ", found " + found);
    }
  }

  static void positive(String field, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + " must be > 0, found " + value);
    }
  }

  static void nonNegative(String field, double value) {
    if (!(value >= 0)) {
      throw new IllegalArgumentException(field + " must be >= 0, found " + value);
    }
  }

  static void rate(String field, double value) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException(field + " must be in [0, 1), found " + value);
    }
  }

  static void divides(String divisorField, int divisor, String field, int value) {
    positive(divisorField, divisor);
    positive(field, value);
    if (value % divisor != 0) {
      throw new IllegalArgumentException(
          divisorField + " must divide " + field + ", found " + divisorField + "=" + divisor
              + " " + field + "=" + value);
    }
  }
}
