package dev.pix2seq.eval.caption;

import java.util.List;

/**
 * Splits a caption into the tokens that BLEU and CIDEr-D count. A token is never empty and
 * never contains whitespace. Implementations are stateless and thread safe.
 */
@FunctionalInterface
public interface CaptionTokenizer {

  /**
   * Tokenises one caption.
   *
   * @param caption the caption text, possibly empty
   * @return the tokens in order, possibly none
   * @throws NullPointerException if {@code caption} is null
   */
  List<String> tokenize(String caption);

  /** The COCO caption toolkit's tokenisation; see {@link PtbCaptionTokenizer}. */
  static CaptionTokenizer ptb() {
    return new PtbCaptionTokenizer();
  }

  /**
   * Splits on whitespace only, as Python's {@code str.split()} does (Unicode whitespace,
   * including the no-break spaces), for captions that are already tokenised.
   */
  static CaptionTokenizer whitespace() {
    return WhitespaceCaptionTokenizer.INSTANCE;
  }
}
