package dev.pix2seq.tasks.describe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.task.ConstraintState;
import dev.pix2seq.api.task.TrainingSequence;
import dev.pix2seq.api.value.Caption;
import dev.pix2seq.api.value.TokenSequence;
import dev.pix2seq.api.vocab.VocabLayout;
import dev.pix2seq.tasks.CodecContractTest;
import dev.pix2seq.tasks.testing.TestVocabularies;
import dev.pix2seq.tokenizer.TextTokenizer;
import dev.pix2seq.tokenizer.Vocabulary;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class CaptionCodecTest extends CodecContractTest<String, DescribeRequest, Caption> {

  private final Vocabulary vocab = TestVocabularies.standard();
  private final VocabLayout layout = vocab.layout();
  private final CaptionCodec codec = new CaptionCodec(vocab, DescribeOptions.defaults());

  @Override
  protected Vocabulary vocab() {
    return vocab;
  }

  @Override
  protected CaptionCodec codec() {
    return codec;
  }

  @Override
  protected String randomAnnotation(RandomGenerator rng) {
    List<String> words = TestVocabularies.WORDS;
    int n = 1 + rng.nextInt(rng.nextInt(10) == 0 ? 64 : 15);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      String w = words.get(rng.nextInt(words.size()));
      sb.append(i == 0 ? "" : rng.nextBoolean() ? " " : "  ")
          .append(rng.nextBoolean() ? w : w.toUpperCase(Locale.ROOT));
    }
    return sb.toString();
  }

  @Override
  protected DescribeRequest randomInferenceRequest(RandomGenerator rng) {
    return DescribeRequest.IMAGE;
  }

  @Override
  protected void assertRoundTrip(String caption, Caption decoded) {
    assertEquals(vocab.textTokenizer().normalize(caption), decoded.text());
    assertEquals(1.0, decoded.score(), 1e-9);
  }

  @Override
  protected void assertWellFormed(DescribeRequest request, int[] response, Caption decoded) {
    int words = response.length - 1;
    assertTrue(words >= 1 && words <= codec.options().maxCaptionTokens());
    assertEquals(words, decoded.text().split(" ").length);
  }

  @Override
  protected void assertSane(Caption decoded) {
    assertTrue(decoded.score() >= 0 && decoded.score() <= 1);
  }

  @Test
  void targetIsTextTokensThenEosWithReducedWeight() {
    DescribeOptions noDrop = DescribeOptions.defaults().withInputFakeRate(0);
    CaptionCodec c = new CaptionCodec(vocab, noDrop);
    TrainingSequence ts = c.trainingSequence("A dog on the street", new SplittableRandom(1));
    int[] words = vocab.textTokens("a dog on the street");
    assertEquals(6, ts.length());
    for (int i = 0; i < 5; i++) {
      assertEquals(words[i], ts.target()[i]);
      assertEquals(1f, ts.weights()[i]);
    }
    assertEquals(layout.eos(), ts.target()[5]);
    assertEquals(0.1f, ts.weights()[5]);
    assertArrayEquals(ts.target(), ts.input());
    assertArrayEquals(new int[] {layout.taskToken("describe")}, ts.prompt());
  }

  @Test
  void halfOfTheDecoderInputsBecomeFake() {
    int fake = 0;
    int total = 0;
    RandomGenerator rng = new SplittableRandom(3);
    for (int i = 0; i < 400; i++) {
      TrainingSequence ts = codec.trainingSequence(randomAnnotation(rng), rng);
      for (int j = 0; j < ts.length() - 1; j++) {
        total++;
        if (ts.input()[j] == layout.fake()) {
          fake++;
        } else {
          assertEquals(ts.target()[j], ts.input()[j]);
        }
      }
    }
    double rate = (double) fake / total;
    assertTrue(rate > 0.45 && rate < 0.55, "rate " + rate);
  }

  @Test
  void longCaptionsAreCutToTheTokenLimit() {
    CaptionCodec c = new CaptionCodec(vocab, DescribeOptions.defaults().withMaxCaptionTokens(3));
    TrainingSequence ts = c.trainingSequence("two dogs and a man", new SplittableRandom(1));
    assertEquals(4, ts.length());
    assertEquals("two <unk> and",
        c.decode(DescribeRequest.IMAGE, TokenSequence.of(ts.target())).text());
    assertEquals(4, c.maxResponseLength());
  }

  @Test
  void emptyCaptionIsRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> codec.trainingSequence("   ", new SplittableRandom(1)));
  }

  @Test
  void constraintNeedsOneTokenBeforeEosAndStopsAtTheLimit() {
    CaptionCodec c = new CaptionCodec(vocab, DescribeOptions.defaults().withMaxCaptionTokens(2));
    ConstraintState s = c.constraint(DescribeRequest.IMAGE).start();
    assertFalse(s.allowed().contains(layout.eos()));
    assertEquals(vocab.textRange().size(), s.allowed().size());
    assertFalse(s.allowed().contains(layout.coordBase()));
    s = s.advance(layout.textBase());
    assertTrue(s.allowed().contains(layout.eos()));
    s = s.advance(layout.textBase() + 1);
    assertEquals(1, s.allowed().size());
    assertTrue(s.allowed().contains(layout.eos()));
  }

  @Test
  void decodeReadsUpToTheFirstEosAndScoresByMeanProbability() {
    int[] a = vocab.textTokens("a red kite");
    int[] tokens = {a[0], layout.coordBase(), a[1], a[2], layout.eos(), a[0], layout.eos()};
    float[] lp = new float[tokens.length];
    lp[0] = (float) Math.log(0.2);
    Caption c = codec.decode(DescribeRequest.IMAGE, new TokenSequence(tokens, lp));
    assertEquals("a red kite", c.text());
    assertEquals((0.2 + 3) / 4, c.score(), 1e-6);
    assertEquals(new Caption("", 0), codec.decode(DescribeRequest.IMAGE, TokenSequence.of()));
  }

  @Test
  void vocabularyWithoutTextTokensIsRejected() {
    TextTokenizer empty = new TextTokenizer() {
      @Override
      public int size() {
        return 0;
      }

      @Override
      public String normalize(String text) {
        return "";
      }

      @Override
      public int[] encode(String text) {
        return new int[0];
      }

      @Override
      public String decode(int[] ids) {
        return "";
      }

      @Override
      public void save(Path tokenizerJson) {
        throw new UnsupportedOperationException("not saved in this test");
      }
    };
    Vocabulary noText =
        new Vocabulary(Vocabulary.defaultLayout(), TestVocabularies.categories(), empty);
    assertThrows(IllegalArgumentException.class,
        () -> new CaptionCodec(noText, DescribeOptions.defaults()));
  }
}
