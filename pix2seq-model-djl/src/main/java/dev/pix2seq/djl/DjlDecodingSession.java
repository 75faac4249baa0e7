package dev.pix2seq.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.pix2seq.api.model.AbstractDecodingSession;
import dev.pix2seq.djl.network.GradientMode;
import dev.pix2seq.djl.network.KeyValue;
import dev.pix2seq.djl.network.KvCache;
import dev.pix2seq.djl.network.Pass;
import dev.pix2seq.djl.network.Pix2seqNetwork;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Incremental decoding with a per-layer self-attention cache and per-row cross-attention keys
 * and values. Owns a child manager of the model's; each feed runs in a temporary manager and
 * scope, so only the cache survives a call. Not thread-safe.
 */
final class DjlDecodingSession extends AbstractDecodingSession {

  private final DjlModel model;
  private final Pix2seqNetwork network;
  private final NDManager manager;
  private final KvCache cache;
  private final List<KeyValue> cross;

  DjlDecodingSession(
      DjlModel model, Pix2seqNetwork network, NDManager manager, List<KeyValue> cross, int rows) {
    super(model, rows);
    this.model = model;
    this.network = network;
    this.manager = manager;
    this.cross = new ArrayList<>(cross);
    this.cache = new KvCache(cross.size());
  }

  @Override
  protected float[][] step(int[][] tokens, int n) {
    int rows = rows();
    int vocab = model.vocabSize();
    try (GradientMode off = GradientMode.off();
        NDManager temp = manager.newSubManager();
        NDScope scope = new NDScope()) {
      NDArray input = temp.create(DjlModel.flatten(tokens, n), new Shape(rows, n));
      NDArray hidden = network.decode(Pass.inference(temp), input, cache.length(), cache, cross);
      float[] flat = network.lastLogits(hidden).toFloatArray();
      cache.commit(manager, n);
      float[][] out = new float[rows][];
      for (int r = 0; r < rows; r++) {
        out[r] = Arrays.copyOfRange(flat, r * vocab, (r + 1) * vocab);
      }
      return out;
    } catch (RuntimeException e) {
      cache.discardStaged();
      throw e;
    }
  }

  @Override
  protected void keep(int[] keep) {
    try (GradientMode off = GradientMode.off();
        NDManager temp = manager.newSubManager();
        NDScope scope = new NDScope()) {
      NDArray index = temp.create(DjlModel.toLongs(keep));
      cache.select(index, manager);
      for (int l = 0; l < cross.size(); l++) {
        KeyValue next = KvCache.gather(cross.get(l), index, manager);
        cross.get(l).close();
        cross.set(l, next);
      }
    }
  }

  @Override
  protected void release() {
    cache.close();
    manager.close();
  }
}
