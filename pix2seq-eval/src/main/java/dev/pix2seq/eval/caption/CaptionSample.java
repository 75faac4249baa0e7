package dev.pix2seq.eval.caption;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One evaluated image: the tokens of its candidate (generated) caption and of each of its
 * reference captions, as a {@link CaptionTokenizer} returned them. The candidate may be empty;
 * there must be at least one reference (each possibly empty).
 *
 * @param imageId the image's id
 * @param candidate candidate tokens
 * @param references reference token lists, in ground-truth order
 */
public record CaptionSample(long imageId, List<String> candidate, List<List<String>> references) {

  /**
   * @throws NullPointerException if a list or token is null
   * @throws IllegalArgumentException if there is no reference, or a token is empty or holds
   *     whitespace (the toolkit joins tokens with spaces and splits them again)
   */
  public CaptionSample {
    candidate = checkedTokens(candidate, "candidate of image " + imageId);
    Objects.requireNonNull(references, "references");
    if (references.isEmpty()) {
      throw new IllegalArgumentException(
          "image " + imageId + " needs at least one reference caption, found none");
    }
    List<List<String>> refs = new ArrayList<>(references.size());
    for (int i = 0; i < references.size(); i++) {
      refs.add(checkedTokens(references.get(i), "reference " + i + " of image " + imageId));
    }
    references = List.copyOf(refs);
  }

  private static List<String> checkedTokens(List<String> tokens, String what) {
    Objects.requireNonNull(tokens, what);
    for (String t : tokens) {
      Objects.requireNonNull(t, what + ": null token");
      if (t.isEmpty() || t.codePoints().anyMatch(WhitespaceCaptionTokenizer::isPythonSpace)) {
        throw new IllegalArgumentException(
            what + ": expected tokens without whitespace, found '" + t + "'");
      }
    }
    return List.copyOf(tokens);
  }
}
