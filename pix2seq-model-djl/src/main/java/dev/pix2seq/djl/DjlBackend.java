package dev.pix2seq.djl;

import dev.pix2seq.api.model.AbstractBackend;

/**
 * The Pix2seq network on DJL's PyTorch engine. Creating the backend does no work; the native
 * library loads on the first {@link #create} or {@link #load}. Weights use the backend-neutral
 * names and layouts of {@code docs/checkpoint-format.md}.
 *
 * <pre>{@code
 * Backend backend = new DjlBackend();
 * try (Pix2seqModel model = backend.create(ModelConfig.preset("tiny"), vocabSize, Device.CPU, 42);
 *     ImageFeatures features = model.encoder().encode(images);
 *     DecodingSession session = model.decoder().open(features, new int[] {0})) {
 *   float[][] logits = session.feed(new int[][] {prompt});
 * }
 * }</pre>
 */
public final class DjlBackend extends AbstractBackend<DjlModel> {

  /** The backend's name in configs: {@value}. */
  public static final String NAME = "djl";

  public DjlBackend() {
    super(NAME, DjlModel.class, DjlModel::of, DjlModelTrainer::new);
  }
}
