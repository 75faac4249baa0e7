package dev.pix2seq.api.generation;

/** How one request's live hypotheses grow by one token: sampling or beam search. */
interface ResponseSearch {

  /**
   * Consumes the logits of the request's live rows ({@code logits[firstRow + j]} for live
   * hypothesis {@code j}), replaces its live hypotheses and records finished ones.
   *
   * @return for each new live hypothesis, the index of its parent among the old ones
   */
  int[] step(RequestDecoding request, float[][] logits, int firstRow);
}
