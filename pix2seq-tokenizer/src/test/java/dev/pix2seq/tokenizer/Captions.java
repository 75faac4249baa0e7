package dev.pix2seq.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Generated captions for tokenizer tests: scene descriptions and harder, varied text. */
final class Captions {
  private static final String[] COLORS = {
    "red", "blue", "green", "yellow", "purple", "orange", "black", "white", "gray", "pink"
  };
  private static final String[] SHAPES = {
    "circle", "square", "triangle", "rectangle", "star", "ellipse", "hexagon", "ring"
  };
  private static final String[] SIZES = {"small", "large", "tiny", "big", "medium-sized"};
  private static final String[] RELATIONS = {
    "left of", "right of", "above", "below", "next to", "inside", "on top of", "near"
  };
  private static final String[] COUNTS = {"a", "one", "two", "three", "4", "12", "several"};

  /** Text unlike the training captions: unseen words, characters, scripts, spacing and case. */
  static final List<String> HARD = List.of(
      "",
      "   ",
      "\t\n",
      "A RED CIRCLE Left Of A Blue Square",
      "a  red\tcircle\nleft of\u00a0a blue\u3000square",
      "a zebra-striped xylophone, quickly jumping!",
      "it's a red circle; isn't it?",
      "3.5 circles and 50% of a square",
      "(a red circle) [left] {of} <a blue square>",
      "a \"red\" circle \\ a blue square / a green star",
      "café naïve résumé façade",
      "İstanbul ΣΟΦΟΣ Straße ǅ",
      "日本語のキャプション 赤い円",
      "ελληνικά και русский текст",
      "emoji 🙂 and 🚀🚀 rockets",
      "ﬁne ligatures and ½ fractions and ² powers",
      "combining e\u0301 and zero\u200dwidth joiner",
      "snake_case_words and mixed123numbers456",
      "a<unk>b and <unk> and <UNK> and <un k>",
      "a </w> suffix-looking </w>text",
      "...!!!???,,,;;;",
      "a red circle left of a blue square.",
      "two red circles, left of three blue squares!!",
      "the word supercalifragilisticexpialidocious",
      "x",
      "q.");

  private Captions() {}

  /** {@code n} scene captions from {@code seed}, with random case and punctuation. */
  static List<String> scenes(long seed, int n) {
    Random r = new Random(seed);
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      StringBuilder sb = new StringBuilder();
      sb.append(object(r));
      int clauses = r.nextInt(3);
      for (int c = 0; c < clauses; c++) {
        sb.append(' ').append(pick(r, RELATIONS)).append(' ').append(object(r));
        if (r.nextInt(4) == 0) {
          sb.append(r.nextBoolean() ? "," : " and");
        }
      }
      if (r.nextInt(3) == 0) {
        sb.append(r.nextBoolean() ? "." : "!");
      }
      String s = sb.toString();
      out.add(r.nextInt(5) == 0 ? Character.toUpperCase(s.charAt(0)) + s.substring(1) : s);
    }
    return out;
  }

  private static String object(Random r) {
    String count = pick(r, COUNTS);
    String shape = pick(r, SHAPES);
    boolean plural = !count.equals("a") && !count.equals("one");
    StringBuilder sb = new StringBuilder(count).append(' ');
    if (r.nextBoolean()) {
      sb.append(pick(r, SIZES)).append(' ');
    }
    sb.append(pick(r, COLORS)).append(' ').append(shape);
    if (plural) {
      sb.append(shape.endsWith("x") ? "es" : "s");
    }
    return sb.toString();
  }

  private static String pick(Random r, String[] words) {
    return words[r.nextInt(words.length)];
  }

  /**
   * {@code n} varied texts: scene captions with random insertions of unseen words, characters of
   * many scripts, odd spacing, case changes and punctuation.
   */
  static List<String> varied(long seed, int n) {
    Random r = new Random(seed);
    List<String> base = scenes(seed + 1, n);
    String[] extras = {
      "zebra", "Qatar", "jazz", "!?", "--", "…", "é", "ß", "Ω", "ж", "字", "🙂", "\u0301", "_",
      "42", "3.14", "x_y", "<unk>", "<UNK>", "''", "\"", "\\", "İ", "Σ", "ǅ", "ﬀ", "\u00a0", "\t"
    };
    List<String> out = new ArrayList<>(n + HARD.size());
    for (String s : base) {
      StringBuilder sb = new StringBuilder();
      for (String word : s.split(" ")) {
        if (sb.length() > 0) {
          sb.append(r.nextInt(10) == 0 ? "  " : " ");
        }
        sb.append(r.nextInt(8) == 0 ? word.toUpperCase(java.util.Locale.ROOT) : word);
        if (r.nextInt(6) == 0) {
          sb.append(r.nextBoolean() ? "" : " ").append(extras[r.nextInt(extras.length)]);
        }
      }
      out.add(sb.toString());
    }
    out.addAll(HARD);
    return out;
  }
}
