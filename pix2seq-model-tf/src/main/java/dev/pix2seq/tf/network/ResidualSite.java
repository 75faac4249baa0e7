package dev.pix2seq.tf.network;

/**
 * A residual branch of the network, in the order the forward pass meets them: each encoder
 * layer's attention and MLP, the bridge MLP, then each decoder layer's self-attention,
 * cross-attention and MLP ({@code docs/checkpoint-format.md} section 4.6).
 *
 * @param overImage whether the branch runs over the image tokens (encoder, bridge) rather than the
 *     text positions (decoder)
 * @param width the branch's feature width
 */
public record ResidualSite(boolean overImage, int width) {

  public ResidualSite {
    if (width < 1) {
      throw new IllegalArgumentException("residual width must be >= 1, found " + width);
    }
  }
}
