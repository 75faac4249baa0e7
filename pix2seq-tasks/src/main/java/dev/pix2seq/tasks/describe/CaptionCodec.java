package dev.pix2seq.tasks.describe;

import dev.pix2seq.api.task.SequenceConstraint;
import dev.pix2seq.api.task.TaskCodec;
import dev.pix2seq.api.task.TrainingSequence;
import dev.pix2seq.api.value.Caption;
import dev.pix2seq.api.value.TokenSequence;
import dev.pix2seq.api.vocab.VocabLayout;
import dev.pix2seq.tasks.Responses;
import dev.pix2seq.tokenizer.Vocabulary;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Image captioning (the {@code describe} task): the text of one caption.
 *
 * <pre>
 *   prompt:   [describe]
 *   response: text tokens of the caption, then EOS
 * </pre>
 *
 * <p><b>Training.</b> The caption is tokenised by the vocabulary's text tokenizer and cut to
 * {@code maxCaptionTokens}; text targets weigh 1, EOS {@code eosWeight} (0.1, the reference's:
 * captions should not end early). On the decoder input each token is replaced by FAKE with
 * probability {@code inputFakeRate} (the reference's input drop-out, against over-reliance on
 * the previous words). A caption of no text tokens cannot be trained on.
 *
 * <p><b>Generation.</b> The constraint allows text tokens, EOS after at least one of them, and
 * only EOS after {@code maxCaptionTokens}; {@link #maxResponseLength()} is {@code
 * maxCaptionTokens + 1}.
 *
 * <p><b>Decoding.</b> The text of the tokens before the first EOS (non-text tokens are skipped)
 * as {@link Vocabulary#text(int[])} gives it; score = their mean token probability (0 for none).
 *
 * <p>Immutable and thread-safe.
 */
public final class CaptionCodec implements TaskCodec<String, DescribeRequest, Caption> {

  /** The task's name. */
  public static final String NAME = "describe";

  private final Vocabulary vocab;
  private final DescribeOptions options;
  private final int taskToken;
  private final CaptionConstraint constraint;

  /**
   * @throws IllegalArgumentException if the vocabulary has no {@code describe} task token or no
   *     text tokens
   */
  public CaptionCodec(Vocabulary vocab, DescribeOptions options) {
    if (vocab == null || options == null) {
      throw new IllegalArgumentException("caption codec needs a vocabulary and options");
    }
    if (vocab.textRange().size() == 0) {
      throw new IllegalArgumentException(
          "describe needs a text tokenizer with at least one token, found an empty one");
    }
    this.vocab = vocab;
    this.options = options;
    this.taskToken = vocab.taskToken(NAME);
    this.constraint = new CaptionConstraint(vocab, options.maxCaptionTokens());
  }

  public DescribeOptions options() {
    return options;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int[] prompt(DescribeRequest request) {
    return new int[] {taskToken};
  }

  @Override
  public DescribeRequest requestFor(String caption) {
    return DescribeRequest.IMAGE;
  }

  /**
   * @throws IllegalArgumentException if the caption has no text tokens
   */
  @Override
  public TrainingSequence trainingSequence(String caption, RandomGenerator rng) {
    if (caption == null) {
      throw new IllegalArgumentException("describe: caption must not be null");
    }
    int[] text = vocab.textTokens(caption);
    if (text.length == 0) {
      throw new IllegalArgumentException(
          "describe: caption \"" + caption + "\" has no text tokens to train on");
    }
    VocabLayout layout = vocab.layout();
    int n = Math.min(text.length, options.maxCaptionTokens());
    int[] target = Arrays.copyOf(text, n + 1);
    target[n] = layout.eos();
    float[] weights = new float[n + 1];
    Arrays.fill(weights, 0, n, 1f);
    weights[n] = (float) options.eosWeight();
    int[] input = target.clone();
    for (int i = 0; i < n; i++) {
      if (rng.nextDouble() < options.inputFakeRate()) {
        input[i] = layout.fake();
      }
    }
    return new TrainingSequence(prompt(DescribeRequest.IMAGE), input, target, weights);
  }

  @Override
  public SequenceConstraint constraint(DescribeRequest request) {
    return constraint;
  }

  @Override
  public int maxResponseLength() {
    return options.maxCaptionTokens() + 1;
  }

  @Override
  public Caption decode(DescribeRequest request, TokenSequence response) {
    int[] tokens = response.tokens();
    int n = Responses.lengthBeforeEos(tokens, vocab.layout().eos());
    String text = vocab.text(Arrays.copyOf(tokens, n));
    return new Caption(text, Responses.meanProbability(response.logProbs(), 0, n));
  }
}
