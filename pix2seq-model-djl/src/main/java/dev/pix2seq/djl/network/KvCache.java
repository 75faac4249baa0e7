package dev.pix2seq.djl.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.Arrays;

/**
 * The self-attention keys and values of every decoder layer for the tokens fed so far. A pass
 * {@linkplain #stage stages} each layer's grown arrays; {@link #commit} then keeps them (taking
 * them out of the pass's {@link NDScope} into the owner's manager) and closes the arrays they
 * replace, so a failed pass leaves the cache as it was. Not thread-safe.
 */
public final class KvCache implements AutoCloseable {

  private final KeyValue[] layers;
  private final KeyValue[] staged;
  private int length;

  /** An empty cache for {@code layers} decoder layers. */
  public KvCache(int layers) {
    this.layers = new KeyValue[layers];
    this.staged = new KeyValue[layers];
  }

  /** Tokens cached per row. */
  public int length() {
    return length;
  }

  /** Layer {@code l}'s cached keys and values, or null while the cache is empty. */
  public KeyValue layer(int l) {
    return layers[l];
  }

  /** Records layer {@code l}'s keys and values after the current pass (kept by {@link #commit}). */
  public void stage(int l, KeyValue next) {
    staged[l] = next;
  }

  /**
   * Keeps every staged layer, owned by {@code owner}, closes the replaced arrays and adds {@code
   * added} tokens to the length. Call inside the pass's scope, after it succeeded.
   */
  public void commit(NDManager owner, int added) {
    for (int l = 0; l < layers.length; l++) {
      KeyValue next = staged[l];
      if (next == null) {
        throw new IllegalStateException("decoder layer " + l + " staged no keys and values");
      }
      keep(next.keysTransposed(), owner);
      keep(next.values(), owner);
      if (layers[l] != null) {
        layers[l].close();
      }
      layers[l] = next;
      staged[l] = null;
    }
    length += added;
  }

  /** Forgets what a failed pass staged (the pass's scope closes those arrays). */
  public void discardStaged() {
    Arrays.fill(staged, null);
  }

  /** Keeps rows {@code index} (int64 {@code [rows]}) of every layer, in that order. */
  public void select(NDArray index, NDManager owner) {
    if (length == 0) {
      return;
    }
    for (int l = 0; l < layers.length; l++) {
      KeyValue next = gather(layers[l], index, owner);
      layers[l].close();
      layers[l] = next;
    }
  }

  /** Rows {@code index} of {@code kv}, owned by {@code owner} and out of the current scope. */
  public static KeyValue gather(KeyValue kv, NDArray index, NDManager owner) {
    NDArray k = kv.keysTransposed().get(index);
    NDArray v = kv.values().get(index);
    keep(k, owner);
    keep(v, owner);
    return new KeyValue(k, v);
  }

  private static void keep(NDArray a, NDManager owner) {
    NDScope.unregister(a);
    a.attach(owner);
  }

  @Override
  public void close() {
    for (int l = 0; l < layers.length; l++) {
      if (layers[l] != null) {
        layers[l].close();
        layers[l] = null;
      }
    }
  }
}
