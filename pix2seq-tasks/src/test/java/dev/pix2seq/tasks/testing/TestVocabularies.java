package dev.pix2seq.tasks.testing;

import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.KeypointSchema;
import dev.pix2seq.api.vocab.VocabLayout;
import dev.pix2seq.tokenizer.Vocabulary;
import java.util.List;

/**
 * The vocabulary of the codec tests: the default layout, five categories with sparse ids, two of
 * them keypoint categories of different sizes (6 and 4 keypoints, so nothing may assume 17),
 * and a word tokenizer.
 */
public final class TestVocabularies {

  public static final int PERSON = 1;
  public static final int CAR = 3;
  public static final int DOG = 7;
  public static final int CUP = 12;
  public static final int KITE = 40;

  public static final KeypointSchema PERSON_SCHEMA =
      new KeypointSchema(
          List.of("nose", "left_eye", "right_eye", "left_wrist", "right_wrist", "hip"),
          List.of(new KeypointSchema.Edge(0, 1), new KeypointSchema.Edge(0, 2)));
  public static final KeypointSchema DOG_SCHEMA =
      new KeypointSchema(List.of("nose", "left_ear", "right_ear", "tail"), List.of());

  public static final List<String> WORDS =
      List.of(
          "a", "the", "man", "woman", "dog", "riding", "on", "of", "with", "red", "blue", "car",
          "street", "sitting", "table", "cup", "two", "kite", "in", "sky", "is", "and", "small");

  private TestVocabularies() {}

  public static List<Category> categories() {
    return List.of(
        new Category(PERSON, "person", "person", PERSON_SCHEMA),
        Category.of(CAR, "car"),
        new Category(DOG, "dog", "animal", DOG_SCHEMA),
        Category.of(CUP, "cup"),
        Category.of(KITE, "kite"));
  }

  public static WordTokenizer tokenizer() {
    return new WordTokenizer(WORDS);
  }

  /** The standard test vocabulary. */
  public static Vocabulary standard() {
    return new Vocabulary(Vocabulary.defaultLayout(), categories(), tokenizer());
  }

  /** The standard test vocabulary with another layout. */
  public static Vocabulary withLayout(VocabLayout layout) {
    return new Vocabulary(layout, categories(), tokenizer());
  }
}
