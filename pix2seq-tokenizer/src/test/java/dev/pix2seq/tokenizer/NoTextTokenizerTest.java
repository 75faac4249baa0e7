package dev.pix2seq.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoTextTokenizerTest {

  @Test
  void savesAndLoadsBackAndHasNoText(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("tokenizer.json");
    NoTextTokenizer.INSTANCE.save(file);
    assertSame(NoTextTokenizer.INSTANCE, TextTokenizers.load(file));
    assertEquals(0, NoTextTokenizer.INSTANCE.size());
    assertEquals("", NoTextTokenizer.INSTANCE.decode(new int[] {0, 5}));
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> NoTextTokenizer.INSTANCE.encode("a cat"));
    assertTrue(e.getMessage().contains("no text tokens"), e.getMessage());
  }
}
