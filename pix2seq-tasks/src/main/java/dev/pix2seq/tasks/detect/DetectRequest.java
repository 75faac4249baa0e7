package dev.pix2seq.tasks.detect;

/** A request to detect every object of an image; detection takes no condition tokens. */
public record DetectRequest() {

  /** The one request there is. */
  public static final DetectRequest ALL_OBJECTS = new DetectRequest();
}
