package dev.pix2seq.api.generation;

import dev.pix2seq.api.task.SequenceConstraint;

/**
 * One sequence to generate: a prompt to complete against one encoded image.
 *
 * @param image index of the image in the encoded batch
 * @param prompt the task prompt (task token and condition tokens), at least one token
 * @param constraint which response tokens are legal at each step
 * @param maxNewTokens the most response tokens to generate (EOS included), >= 1; the generator
 *     lowers it to what the decoder's maximum sequence length leaves after the prompt
 */
public record GenerationRequest(
    int image, int[] prompt, SequenceConstraint constraint, int maxNewTokens) {

  public GenerationRequest {
    if (image < 0) {
      throw new IllegalArgumentException("image index must be >= 0, found " + image);
    }
    if (prompt == null || prompt.length == 0) {
      throw new IllegalArgumentException("prompt must hold at least one token");
    }
    if (constraint == null) {
      throw new IllegalArgumentException("generation request needs a constraint");
    }
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException("maxNewTokens must be >= 1, found " + maxNewTokens);
    }
  }
}
