package dev.pix2seq.tasks.testing;

import dev.pix2seq.api.value.TokenSequence;
import dev.pix2seq.api.vocab.VocabLayout;
import dev.pix2seq.tokenizer.Vocabulary;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/** Random and corrupted token sequences for the never-throws tests of the decoders. */
public final class RandomResponses {

  private static final float[] ODD_LOG_PROBS = {
    Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 0f, 3f, -1e30f, -0.0f
  };

  private RandomResponses() {}

  /** Uniformly random ids over a range a bit larger than the vocabulary, negatives included. */
  public static int[] uniform(Vocabulary vocab, int maxLength, RandomGenerator rng) {
    int n = rng.nextInt(maxLength + 1);
    int low = -20;
    int high = vocab.size() + 50;
    int[] tokens = new int[n];
    for (int i = 0; i < n; i++) {
      tokens[i] = low + rng.nextInt(high - low);
    }
    return tokens;
  }

  /**
   * Tokens drawn from the kinds a task sequence is made of (special tokens, task tokens,
   * coordinates, used and unused classes, text, out-of-range ids) with random run lengths, so
   * decoders meet plausible-but-wrong structure.
   */
  public static int[] structured(Vocabulary vocab, int maxLength, RandomGenerator rng) {
    VocabLayout l = vocab.layout();
    int n = rng.nextInt(maxLength + 1);
    int[] tokens = new int[n];
    int kind = rng.nextInt(9);
    for (int i = 0; i < n; i++) {
      if (rng.nextInt(4) == 0) {
        kind = rng.nextInt(9);
      }
      tokens[i] = switch (kind) {
        case 0 -> pick(rng, l.eos(), l.pad(), l.fake(), l.sep(), l.invisible());
        case 1 -> l.taskBase() + rng.nextInt(l.taskSlots());
        case 2, 3, 4 -> l.coordBase() + rng.nextInt(l.coordBins());
        case 5 -> l.classBase() + rng.nextInt(Math.max(1, vocab.categories().size()));
        case 6 -> l.classBase() + rng.nextInt(l.maxClasses());
        case 7 -> l.textBase() + rng.nextInt(vocab.textTokenizer().size() + 3);
        default -> rng.nextBoolean() ? -1 - rng.nextInt(5) : vocab.size() + rng.nextInt(5);
      };
    }
    return tokens;
  }

  /** A valid response damaged: cut, a token replaced, inserted or removed, EOS repeated. */
  public static int[] mutated(int[] valid, Vocabulary vocab, RandomGenerator rng) {
    int[] t = valid.clone();
    int edits = 1 + rng.nextInt(4);
    for (int e = 0; e < edits; e++) {
      int op = rng.nextInt(5);
      if (t.length == 0) {
        t = new int[] {vocab.layout().eos()};
      }
      int at = rng.nextInt(t.length);
      t = switch (op) {
        case 0 -> Arrays.copyOf(t, at);
        case 1 -> {
          t[at] = -30 + rng.nextInt(vocab.size() + 60);
          yield t;
        }
        case 2 -> {
          int[] u = new int[t.length + 1];
          System.arraycopy(t, 0, u, 0, at);
          u[at] = rng.nextBoolean() ? vocab.layout().eos() : vocab.layout().sep();
          System.arraycopy(t, at, u, at + 1, t.length - at);
          yield u;
        }
        case 3 -> {
          int[] u = new int[t.length - 1];
          System.arraycopy(t, 0, u, 0, at);
          System.arraycopy(t, at + 1, u, at, t.length - at - 1);
          yield u;
        }
        default -> {
          int[] u = Arrays.copyOf(t, t.length + 3);
          Arrays.fill(u, t.length, u.length, vocab.layout().eos());
          yield u;
        }
      };
    }
    return t;
  }

  /** Log probabilities, mostly plausible, sometimes NaN, infinite or positive. */
  public static float[] logProbs(int n, RandomGenerator rng) {
    float[] lp = new float[n];
    boolean odd = rng.nextInt(4) == 0;
    for (int i = 0; i < n; i++) {
      lp[i] = odd && rng.nextInt(3) == 0
          ? ODD_LOG_PROBS[rng.nextInt(ODD_LOG_PROBS.length)]
          : (float) -(rng.nextDouble() * 5);
    }
    return lp;
  }

  /** The tokens with random log probabilities. */
  public static TokenSequence withLogProbs(int[] tokens, RandomGenerator rng) {
    return new TokenSequence(tokens, logProbs(tokens.length, rng));
  }

  private static int pick(RandomGenerator rng, int... options) {
    return options[rng.nextInt(options.length)];
  }
}
