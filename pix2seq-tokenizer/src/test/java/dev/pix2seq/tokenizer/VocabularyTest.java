package dev.pix2seq.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.ConfigException;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.KeypointSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {
  private static final KeypointSchema PERSON_POINTS =
      new KeypointSchema(
          List.of("nose", "left_eye", "right_eye"),
          List.of(new KeypointSchema.Edge(0, 1), new KeypointSchema.Edge(0, 2)));
  private static final List<Category> CATEGORIES =
      List.of(
          Category.of(3, "circle"),
          new Category(7, "square", "shape", null),
          new Category(1, "person", "human", PERSON_POINTS));
  private static final BpeTokenizer TEXT =
      BpeTokenizer.train(Captions.scenes(31, 500), 200, 2);

  @TempDir Path dir;

  @Test
  void saveThenLoadRoundTrips() throws Exception {
    Vocabulary vocab = new Vocabulary(Vocabulary.defaultLayout(), CATEGORIES, TEXT);
    vocab.save(dir);
    assertTrue(Files.exists(dir.resolve(Vocabulary.VOCAB_FILE)));
    assertTrue(Files.exists(dir.resolve(Vocabulary.TOKENIZER_FILE)));

    Vocabulary loaded = Vocabulary.load(dir);
    assertEquals(vocab.layout(), loaded.layout());
    assertEquals(CATEGORIES, loaded.categories());
    assertEquals(PERSON_POINTS, loaded.categories().get(2).keypoints());
    assertInstanceOf(BpeTokenizer.class, loaded.textTokenizer());
    assertEquals(vocab.size(), loaded.size());
    String caption = "two small red circles left of a blue square";
    assertArrayEquals(vocab.textTokens(caption), loaded.textTokens(caption));
    assertEquals(caption, loaded.text(loaded.textTokens(caption)));
    assertEquals(vocab.classToken(1), loaded.classToken(1));

    Vocabulary read = Vocabulary.read(dir, TEXT);
    assertEquals(CATEGORIES, read.categories());
  }

  @Test
  void loadNamesTheMissingFile() throws Exception {
    new Vocabulary(Vocabulary.defaultLayout(), CATEGORIES, TEXT).save(dir);
    Files.delete(dir.resolve(Vocabulary.VOCAB_FILE));
    ConfigException e = assertThrows(ConfigException.class, () -> Vocabulary.load(dir));
    assertTrue(e.getMessage().contains(Vocabulary.VOCAB_FILE), e.getMessage());
  }

  @Test
  void describesEveryKindOfToken() {
    Vocabulary vocab = new Vocabulary(Vocabulary.defaultLayout(), CATEGORIES, TEXT);
    assertEquals("PAD", vocab.describe(0));
    assertEquals("EOS", vocab.describe(1));
    assertEquals("[detect]", vocab.describe(10));
    assertEquals("[segment]", vocab.describe(11));
    assertEquals("[keypoint]", vocab.describe(12));
    assertEquals("[describe]", vocab.describe(13));
    assertEquals("FAKE", vocab.describe(30));
    assertEquals("SEP", vocab.describe(40));
    assertEquals("INVISIBLE", vocab.describe(41));
    assertEquals("<circle>", vocab.describe(100));
    assertEquals("<person>", vocab.describe(102));
    assertEquals("<class 5>", vocab.describe(105));
    assertEquals("<0.000>", vocab.describe(1000));
    assertEquals("<0.250>", vocab.describe(vocab.coordToken(0.25)));
    assertEquals("<1.000>", vocab.describe(1999));
    int red = vocab.textTokens("red")[0];
    assertEquals("'red'", vocab.describe(red));
    assertEquals("'<unk>'", vocab.describe(3000));
    assertEquals("<2500>", vocab.describe(2500));
    assertEquals("<" + vocab.size() + ">", vocab.describe(vocab.size()));
  }

  @Test
  void mapsClassesCoordinatesAndText() {
    Vocabulary vocab = new Vocabulary(Vocabulary.defaultLayout(), CATEGORIES, TEXT);
    assertEquals(100, vocab.classToken(3));
    assertEquals(101, vocab.classToken(7));
    assertEquals(CATEGORIES.get(1), vocab.categoryOf(101));
    assertNull(vocab.categoryOf(150));
    assertThrows(IllegalArgumentException.class, () -> vocab.classToken(42));
    assertEquals(1000 + 250, vocab.coordToken(0.25025));
    assertEquals(250 / 999.0, vocab.coordValue(1250), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> vocab.coordValue(999));
    assertEquals(3000 + TEXT.size(), vocab.size());
    assertEquals(10, vocab.taskToken("detect"));
    int[] tokens = vocab.textTokens("a red circle");
    assertTrue(vocab.textRange().contains(tokens[0]));
    int[] mixed = {1, tokens[0], 1000, tokens[1], tokens[2], 0};
    assertEquals("a red circle", vocab.text(mixed));
  }

  @Test
  void readNamesTheFileWhenTheLayoutIsMissing() throws Exception {
    // a vocab.json without "layout" used to escape as a NullPointerException
    Files.writeString(dir.resolve(Vocabulary.VOCAB_FILE), "{\"categories\": []}");
    ConfigException e = assertThrows(ConfigException.class, () -> Vocabulary.read(dir, TEXT));
    assertTrue(e.getMessage().contains(Vocabulary.VOCAB_FILE), e.getMessage());
    assertTrue(e.getMessage().contains("layout missing"), e.getMessage());
  }

  @Test
  void readNamesTheFileWhenACategoryIsNull() throws Exception {
    new Vocabulary(Vocabulary.defaultLayout(), CATEGORIES, TEXT).save(dir);
    Path file = dir.resolve(Vocabulary.VOCAB_FILE);
    String json = Files.readString(file);
    Files.writeString(file,
        json.replaceFirst("\"categories\"\\s*:\\s*\\[", "\"categories\" : [ null,"));
    ConfigException e = assertThrows(ConfigException.class, () -> Vocabulary.read(dir, TEXT));
    assertTrue(e.getMessage().contains("index 0"), e.getMessage());
  }

  @Test
  void textTokensLeaveTheTokenizersArrayAlone() {
    // a tokenizer may hand out a cached array; shifting it in place corrupted the next call
    int[] cached = {0, 1};
    TextTokenizer caching = new TextTokenizer() {
      @Override
      public int size() {
        return 2;
      }

      @Override
      public String normalize(String text) {
        return text;
      }

      @Override
      public int[] encode(String text) {
        return cached;
      }

      @Override
      public String decode(int[] ids) {
        return "";
      }

      @Override
      public void save(Path tokenizerJson) {}
    };
    Vocabulary vocab = new Vocabulary(Vocabulary.defaultLayout(), CATEGORIES, caching);
    assertArrayEquals(new int[] {3000, 3001}, vocab.textTokens("x"));
    assertArrayEquals(new int[] {3000, 3001}, vocab.textTokens("x"));
    assertArrayEquals(new int[] {0, 1}, cached);
  }
}
