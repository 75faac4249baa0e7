package dev.pix2seq.data.augment;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One augmentation step: a new sample whose pixels and annotations are transformed together.
 * Deterministic given the random generator's state; steps without randomness ignore it.
 * Implementations are immutable and thread-safe (the generator is the caller's).
 */
@FunctionalInterface
public interface Augmentation {

  /** The transformed sample. */
  AnnotatedImage apply(AnnotatedImage sample, RandomGenerator random);

  /** This step followed by {@code next}. */
  default Augmentation andThen(Augmentation next) {
    return (s, r) -> next.apply(apply(s, r), r);
  }

  /** The steps applied in order. */
  static Augmentation chain(Augmentation... steps) {
    List<Augmentation> list = List.of(steps);
    return (s, r) -> {
      AnnotatedImage out = s;
      for (Augmentation a : list) {
        out = a.apply(out, r);
      }
      return out;
    };
  }
}
