package dev.pix2seq.api.network;

/**
 * The geometry of the encoder's image-to-token convolutions. Without a stem, one convolution of
 * kernel = stride = {@code patchSize}. With the stem ({@code convStem: true}): {@code stages}
 * 3x3 convolutions of stride 2 and padding 1, each followed by GELU, where {@code stages} is the
 * largest {@code t} with {@code 2^t} dividing {@code patchSize} and {@code 2^(t+1) <= patchSize};
 * stage {@code i} (0-based) has {@code max(1, encoderWidth / 2^(stages - i))} output channels;
 * then one convolution of kernel = stride = {@code patchSize / 2^stages} to {@code encoderWidth}
 * channels. Example: patch 16, width 128: 3 -> 16 -> 32 -> 64 channels at strides 2, 4, 8, then a
 * 2x2 stride-2 convolution to 128 channels.
 *
 * @param stages number of 3x3 stride-2 convolutions (0 when the stem is off)
 * @param channels output channels of each stage
 * @param patchKernel kernel side and stride of the final (patch) convolution
 */
public record ConvStem(int stages, int[] channels, int patchKernel) {

  /** The stem a model config describes. */
  public static ConvStem of(int patchSize, int encoderWidth, boolean enabled) {
    if (!enabled) {
      return new ConvStem(0, new int[0], patchSize);
    }
    int stages = 0;
    while (patchSize % (1 << (stages + 1)) == 0 && (1 << (stages + 2)) <= patchSize) {
      stages++;
    }
    int[] channels = new int[stages];
    for (int i = 0; i < stages; i++) {
      channels[i] = Math.max(1, encoderWidth >> (stages - i));
    }
    return new ConvStem(stages, channels, patchSize >> stages);
  }

  /** Input channels of the final patch convolution. */
  public int patchInputChannels() {
    return stages == 0 ? 3 : channels[stages - 1];
  }

  /** Input channels of stage {@code i}. */
  public int stageInputChannels(int i) {
    return i == 0 ? 3 : channels[i - 1];
  }
}
