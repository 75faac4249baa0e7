package com.example.pix2seq.count;

import dev.pix2seq.api.task.ConstraintState;
import dev.pix2seq.api.task.SequenceConstraint;
import dev.pix2seq.api.task.TaskCodec;
import dev.pix2seq.api.task.TrainingSequence;
import dev.pix2seq.api.value.TokenSequence;
import dev.pix2seq.api.vocab.TokenRange;
import dev.pix2seq.api.vocab.TokenSet;
import dev.pix2seq.tasks.Responses;
import dev.pix2seq.tokenizer.Vocabulary;
import java.util.random.RandomGenerator;

/**
 * {@code [count]} then one coordinate-bin token (bin q = q objects, clipped to {@code maxCount})
 * and EOS.
 */
public final class CountCodec implements TaskCodec<Integer, CountRequest, ObjectCount> {

  public static final String NAME = "count";

  private final Vocabulary vocab;
  private final int taskToken;
  private final int maxCount;

  public CountCodec(Vocabulary vocab, CountOptions options) {
    this.vocab = vocab;
    this.taskToken = vocab.taskToken(NAME);
    this.maxCount = Math.min(options.maxCount(), vocab.layout().coordBins() - 1);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int[] prompt(CountRequest request) {
    return new int[] {taskToken};
  }

  @Override
  public CountRequest requestFor(Integer count) {
    return new CountRequest();
  }

  @Override
  public TrainingSequence trainingSequence(Integer count, RandomGenerator rng) {
    int q = Math.max(0, Math.min(count, maxCount));
    int[] target = {vocab.layout().coordBase() + q, vocab.layout().eos()};
    return TrainingSequence.uncorrupted(prompt(new CountRequest()), target, new float[] {1, 1});
  }

  @Override
  public SequenceConstraint constraint(CountRequest request) {
    int base = vocab.layout().coordBase();
    TokenSet counts = TokenSet.of(new TokenRange(base, base + maxCount + 1));
    TokenSet eos = TokenSet.ofTokens(vocab.layout().eos());
    return () -> new Step(counts, eos, true);
  }

  private record Step(TokenSet counts, TokenSet eos, boolean first) implements ConstraintState {
    @Override
    public TokenSet allowed() {
      return first ? counts : eos;
    }

    @Override
    public ConstraintState advance(int token) {
      if (!allowed().contains(token)) {
        throw new IllegalArgumentException("count: token " + token + " not in " + allowed());
      }
      return new Step(counts, eos, false);
    }
  }

  @Override
  public int maxResponseLength() {
    return 2;
  }

  @Override
  public ObjectCount decode(CountRequest request, TokenSequence response) {
    int[] t = response.tokens();
    if (t.length == 0 || !vocab.layout().isCoord(t[0])) {
      return new ObjectCount(0, 0);
    }
    return new ObjectCount(
        t[0] - vocab.layout().coordBase(), Responses.probability(response.logProbs()[0]));
  }
}
