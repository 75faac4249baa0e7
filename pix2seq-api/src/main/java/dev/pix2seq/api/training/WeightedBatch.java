package dev.pix2seq.api.training;

/**
 * A batch and the weight of its loss in one optimiser step: the step's loss is {@code
 * sum(weight_i * loss_i)} where {@code loss_i = sum(ce * w) / sum(w)} over batch {@code i}'s
 * tokens.
 *
 * @param batch the batch
 * @param weight its loss weight, > 0
 */
public record WeightedBatch(TrainingBatch batch, double weight) {

  public WeightedBatch {
    if (batch == null) {
      throw new IllegalArgumentException("weighted batch needs a batch");
    }
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("batch weight must be positive and finite, found " + weight);
    }
  }
}
