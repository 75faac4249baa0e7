package dev.pix2seq.runtime.predict;

import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.value.Caption;
import dev.pix2seq.api.vocab.VocabLayout;
import dev.pix2seq.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Captioning decoded as the official Pix2seq code decodes it, for imported official models
 * (docs/official-task-conventions.md section 4): after the prompt {@code [describe]}, every
 * position the decoder has left (511 tokens for 512 positions) is sampled from the full softmax
 * ({@link OfficialSampling} at p 1, temperature 1); each token {@code t != 0} becomes text id
 * {@code t - textBase}, clipped to the text range, 0 stays 0, and all ids go to the text
 * tokenizer, which renders control pieces (the caption's end) as nothing. Score: the mean
 * probability of the sampled tokens before the first padding token 0. Thread-safe.
 */
final class OfficialCaptioning {

  private final Pix2seqModel model;
  private final VocabLayout layout;
  private final TextTokenizer text;
  private final int prompt;

  OfficialCaptioning(Pix2seqModel model, VocabLayout layout, TextTokenizer text) {
    this.model = model;
    this.layout = layout;
    this.text = text;
    this.prompt = layout.taskToken("describe");
  }

  /** The caption of each image encoded in {@code features}, in order. */
  List<Caption> describe(ImageFeatures features, int images, RandomGenerator rng) {
    int steps = model.decoder().maxSequenceLength() - 1;
    OfficialSampling.Sampled sampled =
        OfficialSampling.sample(model, features, images, prompt, steps, 1.0, rng, step -> false);
    List<Caption> out = new ArrayList<>(images);
    for (int i = 0; i < images; i++) {
      out.add(caption(sampled.tokens()[i], sampled.probabilities()[i], layout, text));
    }
    return out;
  }

  /** The official post-processing of one sampled response. */
  static Caption caption(int[] tokens, double[] probabilities, VocabLayout layout,
      TextTokenizer text) {
    int[] ids = new int[tokens.length];
    int last = Math.max(0, text.size() - 1);
    for (int i = 0; i < tokens.length; i++) {
      int id = tokens[i] == 0 ? 0 : tokens[i] - layout.textBase();
      ids[i] = Math.max(0, Math.min(last, id));
    }
    double sum = 0;
    int n = 0;
    while (n < tokens.length && tokens[n] != 0) {
      sum += probabilities[n];
      n++;
    }
    return new Caption(text.decode(ids), n == 0 ? 0 : sum / n);
  }
}
