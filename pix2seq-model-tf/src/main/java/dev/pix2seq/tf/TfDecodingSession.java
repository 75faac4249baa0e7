package dev.pix2seq.tf;

import dev.pix2seq.api.model.AbstractDecodingSession;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Result;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Incremental decoding: the per-layer self-attention keys and values of the positions fed so far
 * and the per-row cross-attention keys and values are tensors held between calls and fed back
 * into the step graph, which returns the grown cache with the logits, all in one {@code
 * Session.run} per {@link #feed}. Holds each run's result until its tensors are superseded; a
 * {@link #select} gathers cross-attention and cache rows in one run, so the cache it returned
 * stays allocated beside its successor until the next select or close (at most one extra copy).
 * Steps run on the model's {@link FrozenSteps} of the weights at opening, held until close, so a
 * session decodes with the weights it was opened with (and the image features with the weights
 * they were encoded with). Not thread-safe.
 */
final class TfDecodingSession extends AbstractDecodingSession {

  private final TfModel model;
  private final int layers;
  /** The frozen steps this session runs on, or null to run on the model's variables. */
  private final FrozenSteps frozen;
  private SharedResult crossOwner;
  private int crossOffset;
  private SharedResult selfOwner;
  private int selfOffset;

  /**
   * A session whose per-row cross-attention tensors are entries {@code 0..} of {@code cross},
   * running on {@code frozen} (null: the variables), which it releases on close.
   */
  TfDecodingSession(TfModel model, FrozenSteps frozen, SharedResult cross, int rows) {
    super(model, rows);
    this.model = model;
    this.frozen = frozen;
    this.layers = model.config().decoderLayers();
    this.crossOwner = cross;
    this.crossOffset = 0;
  }

  /** The frozen steps this session runs on, or null when it runs on the variables. */
  FrozenSteps frozenSteps() {
    return frozen;
  }

  @Override
  protected float[][] step(int[][] tokens, int n) {
    int rows = rows();
    List<TFloat32> empties = new ArrayList<>();
    try (TInt32 input = TensorCopies.rows(tokens, n)) {
      List<TFloat32> past = new ArrayList<>(2 * layers);
      if (selfOwner == null) {
        int heads = model.config().decoderHeads();
        int headWidth = model.config().decoderWidth() / heads;
        for (int i = 0; i < 2 * layers; i++) {
          TFloat32 empty = TensorCopies.empty(rows, heads, 0, headWidth);
          empties.add(empty);
          past.add(empty);
        }
      } else {
        past = tensors(selfOwner, selfOffset);
      }
      Result result = model.step(frozen, input, past, tensors(crossOwner, crossOffset), n == 1);
      SharedResult next = new SharedResult(result, 1);
      float[][] logits;
      try {
        logits = TensorCopies.readRows(next.get(0), rows, model.vocabSize());
      } catch (RuntimeException e) {
        next.release();
        throw e;
      }
      if (selfOwner != null) {
        selfOwner.release();
      }
      selfOwner = next;
      selfOffset = 1;
      return logits;
    } finally {
      empties.forEach(TFloat32::close);
    }
  }

  @Override
  protected void keep(int[] keep) {
    InferenceGraph graph = model.inference();
    if (selfOwner == null) {
      Result result = model.gather(graph.gatherCross, keep, tensors(crossOwner, crossOffset));
      crossOwner.release();
      crossOwner = new SharedResult(result, 1);
      crossOffset = 0;
    } else {
      List<TFloat32> inputs = tensors(crossOwner, crossOffset);
      inputs.addAll(tensors(selfOwner, selfOffset));
      Result result = model.gather(graph.gatherCrossAndSelf, keep, inputs);
      SharedResult both = new SharedResult(result, 2);
      crossOwner.release();
      selfOwner.release();
      crossOwner = both;
      crossOffset = 0;
      selfOwner = both;
      selfOffset = 2 * layers;
    }
  }

  private List<TFloat32> tensors(SharedResult owner, int offset) {
    List<TFloat32> out = new ArrayList<>(2 * layers);
    for (int i = 0; i < 2 * layers; i++) {
      out.add(owner.get(offset + i));
    }
    return out;
  }

  @Override
  protected void release() {
    try {
      crossOwner.release();
      if (selfOwner != null) {
        selfOwner.release();
      }
    } finally {
      if (frozen != null) {
        frozen.release();
      }
    }
  }
}
