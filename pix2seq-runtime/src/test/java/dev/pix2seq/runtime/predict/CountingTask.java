package dev.pix2seq.runtime.predict;

import com.google.inject.Module;
import dev.pix2seq.api.task.ConstraintState;
import dev.pix2seq.api.task.SequenceConstraint;
import dev.pix2seq.api.task.TaskCodec;
import dev.pix2seq.api.task.TrainingSequence;
import dev.pix2seq.api.value.TokenSequence;
import dev.pix2seq.api.vocab.TokenSet;
import dev.pix2seq.tasks.TaskBindings;
import dev.pix2seq.tasks.TaskPlugin;
import dev.pix2seq.tokenizer.Vocabulary;
import java.util.random.RandomGenerator;

/**
 * A plug-in task the pipeline knows nothing about: {@code [count]}, one coordinate-bin token
 * (bin q = q objects), EOS.
 */
final class CountingTask {
  static final String NAME = "count";

  private CountingTask() {}

  /** The (empty) request. */
  record CountRequest() {}

  /** The plug-in. */
  static final class Plugin implements TaskPlugin {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public Module module() {
      return TaskBindings.moduleFor(NAME, context -> new Codec(context.vocabulary()));
    }
  }

  /** The codec. */
  static final class Codec implements TaskCodec<Integer, CountRequest, Integer> {
    private final Vocabulary vocab;

    Codec(Vocabulary vocab) {
      this.vocab = vocab;
    }

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public int[] prompt(CountRequest request) {
      return new int[] {vocab.taskToken(NAME)};
    }

    @Override
    public CountRequest requestFor(Integer annotation) {
      return new CountRequest();
    }

    @Override
    public TrainingSequence trainingSequence(Integer count, RandomGenerator rng) {
      int[] target = {vocab.layout().coordBase() + count, vocab.layout().eos()};
      return TrainingSequence.uncorrupted(prompt(new CountRequest()), target, new float[] {1, 1});
    }

    @Override
    public SequenceConstraint constraint(CountRequest request) {
      TokenSet counts = TokenSet.of(vocab.layout().coordRange());
      TokenSet eos = TokenSet.ofTokens(vocab.layout().eos());
      return () -> new ConstraintState() {
        @Override
        public TokenSet allowed() {
          return counts;
        }

        @Override
        public ConstraintState advance(int token) {
          return new ConstraintState() {
            @Override
            public TokenSet allowed() {
              return eos;
            }

            @Override
            public ConstraintState advance(int t) {
              return this;
            }
          };
        }
      };
    }

    @Override
    public int maxResponseLength() {
      return 2;
    }

    @Override
    public Integer decode(CountRequest request, TokenSequence response) {
      return response.length() > 0 && vocab.layout().isCoord(response.tokens()[0])
          ? response.tokens()[0] - vocab.layout().coordBase()
          : 0;
    }
  }
}
