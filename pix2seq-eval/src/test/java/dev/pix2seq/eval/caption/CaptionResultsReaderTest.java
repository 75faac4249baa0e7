package dev.pix2seq.eval.caption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.DatasetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CaptionResultsReaderTest {
  @TempDir Path dir;
  private final CaptionResultsReader reader = new CaptionResultsReader();

  private Path write(String text) throws IOException {
    Path p = dir.resolve("res.json");
    Files.writeString(p, text);
    return p;
  }

  @Test
  void readsEntriesInOrderIgnoringOtherFields() throws Exception {
    Path p = write("[{\"image_id\": 5, \"caption\": \"a dog\", \"id\": 1},"
        + " {\"caption\": \"\", \"image_id\": 3.0}]");
    assertEquals(List.of(new GeneratedCaption(5, "a dog"), new GeneratedCaption(3, "")),
        reader.read(p));
    assertEquals(List.of(), reader.read(write("[]")));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"image_id\": 1}|"
          + ": (top level): expected a JSON array of {\"image_id\": ..., \"caption\": ...} "
          + "objects, found an object",
      "[{\"image_id\": 1, \"caption\": \"a\"}, 7]|"
          + ": [1]: expected an object {\"image_id\": ..., \"caption\": ...}, found 7",
      "[{\"caption\": \"a\"}]|: [0].image_id: expected an integer, found nothing (no such field)",
      "[{\"image_id\": \"12\", \"caption\": \"a\"}]|"
          + ": [0].image_id: expected an integer, found the string '12'",
      "[{\"image_id\": 1.5, \"caption\": \"a\"}]|: [0].image_id: expected an integer, found 1.5",
      "[{\"image_id\": 1, \"caption\": \"a\"}, {\"image_id\": 2}]|"
          + ": [1].caption (image id 2): expected a string, found nothing (no such field)",
      "[{\"image_id\": 2, \"caption\": null}]|"
          + ": [0].caption (image id 2): expected a string, found null",
      "[{\"image_id\": 2, \"caption\": [\"a\", \"b\"]}]|"
          + ": [0].caption (image id 2): expected a string, found an array of 2",
      "[] []|: (top level): expected the end of the file after the results array, found more "
          + "content at line 1",
      "|: (top level): expected a JSON array of {\"image_id\": ..., \"caption\": ...} objects, "
          + "found an empty file"})
  void badEntriesNameTheFileIndexAndField(String json, String message) throws IOException {
    Path p = write(json == null ? "" : json);
    DatasetException e = assertThrows(DatasetException.class, () -> reader.read(p));
    assertEquals(p + message, e.getMessage());
  }

  @Test
  void malformedJsonAndMissingFilesAreDatasetExceptions() throws IOException {
    Path p = write("[{\"image_id\": 1, \"caption\": \"a\"");
    DatasetException e = assertThrows(DatasetException.class, () -> reader.read(p));
    assertTrue(e.getMessage().startsWith(p + ": not valid JSON: "), e.getMessage());
    Path missing = dir.resolve("nope.json");
    e = assertThrows(DatasetException.class, () -> reader.read(missing));
    assertEquals(missing + ": file not found", e.getMessage());
  }
}
