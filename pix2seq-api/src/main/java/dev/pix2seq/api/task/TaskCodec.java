package dev.pix2seq.api.task;

import dev.pix2seq.api.value.TokenSequence;
import java.util.random.RandomGenerator;

/**
 * A task plug-in: everything that turns one vision task into "complete this sequence". The
 * model knows nothing of tasks; a codec knows nothing of the model.
 *
 * <p>Geometry a codec reads or writes is normalised to 0..1 over the padded square model input
 * (y before x in tokens); mapping to and from image pixels happens outside the codec.
 *
 * <p>Implementations are immutable and thread-safe; randomness comes only from the generator
 * passed in.
 *
 * @param <A> a training annotation (e.g. all objects of an image, one instance's polygons)
 * @param <Q> an inference request (e.g. nothing, or a box and a class)
 * @param <R> the structured result
 */
public interface TaskCodec<A, Q, R> {

  /** The task's name as used in configs and the vocabulary layout, e.g. {@code detect}. */
  String name();

  /** The prompt tokens for a request: the task token and any condition tokens. */
  int[] prompt(Q request);

  /** The request that an annotation answers (the prompt a training sequence starts with). */
  Q requestFor(A annotation);

  /**
   * The training sequence for an annotation: prompt, (possibly corrupted) decoder input, target
   * and per-token weights. Every target is accepted by {@link #constraint(Object)}.
   */
  TrainingSequence trainingSequence(A annotation, RandomGenerator rng);

  /** The constraint generation applies to the response for a request. */
  SequenceConstraint constraint(Q request);

  /** The most response tokens generation may produce for any request (EOS included). */
  int maxResponseLength();

  /**
   * The most response tokens generation may produce for this request (EOS included); at most
   * {@link #maxResponseLength()}. Codecs whose length depends on the request (keypoints: on the
   * category's schema) override it so the generator can stop sizing for the worst case.
   */
  default int maxResponseLength(Q request) {
    return maxResponseLength();
  }

  /**
   * The result a generated response encodes. Never throws: a truncated, repeated or otherwise
   * odd sequence yields what can be read from it (possibly an empty result).
   */
  R decode(Q request, TokenSequence response);
}
