package dev.pix2seq.api.task;

/** A state machine saying which tokens are legal at each step of a task's response. */
@FunctionalInterface
public interface SequenceConstraint {

  /** The state before the first response token. */
  ConstraintState start();

  /** Whether every token of {@code response} is legal where it stands. */
  default boolean accepts(int[] response) {
    ConstraintState s = start();
    for (int t : response) {
      if (!s.allowed().contains(t)) {
        return false;
      }
      s = s.advance(t);
    }
    return true;
  }
}
