package dev.pix2seq.tasks.describe;

/** A request to describe an image; captioning takes no condition tokens. */
public record DescribeRequest() {

  /** The one request there is. */
  public static final DescribeRequest IMAGE = new DescribeRequest();
}
