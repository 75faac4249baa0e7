package dev.pix2seq.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.pix2seq.api.model.AbstractImageFeatures;
import dev.pix2seq.djl.network.GradientMode;
import dev.pix2seq.djl.network.KeyValue;
import dev.pix2seq.djl.network.Pix2seqNetwork;
import java.util.ArrayList;
import java.util.List;

/**
 * Encoded images: the bridge output {@code [images, tokens, decoderWidth]} and, computed on the
 * first {@code open}, every decoder layer's cross-attention keys and values per image, reused by
 * later sessions. Owns a child manager of the model's.
 */
final class DjlImageFeatures extends AbstractImageFeatures {

  private final NDManager manager;
  private final NDArray memory;
  private List<KeyValue> crossKeysValues;

  DjlImageFeatures(DjlModel model, NDManager manager, NDArray memory, int batchSize) {
    super(model, batchSize);
    this.manager = manager;
    this.memory = memory;
  }

  NDArray memory() {
    ensureOpen();
    return memory;
  }

  /** Each decoder layer's keys and values over every image, computed once. */
  synchronized List<KeyValue> crossKeysValues(Pix2seqNetwork network) {
    ensureOpen();
    if (crossKeysValues == null) {
      try (GradientMode off = GradientMode.off(); NDScope scope = new NDScope()) {
        List<KeyValue> computed = new ArrayList<>();
        for (KeyValue strided : network.crossKeysValues(memory)) {
          KeyValue kv = strided.dense();
          for (NDArray a : new NDArray[] {kv.keysTransposed(), kv.values()}) {
            NDScope.unregister(a);
            a.attach(manager);
          }
          computed.add(kv);
        }
        crossKeysValues = List.copyOf(computed);
      }
    }
    return crossKeysValues;
  }

  @Override
  protected void release() {
    manager.close();
  }
}
