package dev.pix2seq.api.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a backend runs: {@code cpu} or {@code gpu} in configs. */
public enum Device {
  CPU,
  GPU;

  @JsonValue
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The device for a config name ({@code cpu} or {@code gpu}, any case). */
  @JsonCreator
  public static Device ofConfigName(String name) {
    for (Device d : values()) {
      if (d.configName().equalsIgnoreCase(name)) {
        return d;
      }
    }
    throw new IllegalArgumentException("unknown device '" + name + "'; expected cpu or gpu");
  }
}
