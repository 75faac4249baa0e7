package dev.pix2seq.api.vocab;

/**
 * A half-open range of token ids {@code [start, end)}.
 *
 * @param start first id
 * @param end one past the last id
 */
public record TokenRange(int start, int end) {

  public TokenRange {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException(
          "token range needs 0 <= start <= end, found [" + start + ", " + end + ")");
    }
  }

  /** The range holding one token. */
  public static TokenRange single(int token) {
    return new TokenRange(token, token + 1);
  }

  public boolean contains(int token) {
    return token >= start && token < end;
  }

  public int size() {
    return end - start;
  }
}
