package dev.pix2seq.eval.caption;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.pix2seq.api.DatasetException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a captioning results file, the format the COCO caption toolkit's {@code loadRes}
 * takes: a JSON array of objects with an integer {@code image_id} and a string
 * {@code caption}; other fields are ignored.
 *
 * <pre>{@code
 * [{"image_id": 42, "caption": "a dog on a couch"}, {"image_id": 43, "caption": ""}]
 * }</pre>
 *
 * <p>An entry that is not an object, an {@code image_id} that is missing or not an integer (a
 * float with an integral value such as {@code 42.0} is accepted), a {@code caption} that is
 * missing or not a string: a {@link DatasetException} naming the file, the entry's index and
 * field, what was expected and what was found. Whether the ids exist and are unique is checked
 * against the ground truth by {@link CaptionEvaluator}. Entries are streamed one at a time.
 * Immutable and thread safe.
 */
public final class CaptionResultsReader {
  private static final double MAX_EXACT_LONG = 9007199254740992.0; // 2^53
  private static final int QUOTE_LIMIT = 40;

  private final ObjectMapper mapper = JsonMapper.builder().build();

  /** Creates a reader. */
  public CaptionResultsReader() {}

  /**
   * Reads the results, in file order.
   *
   * @throws DatasetException if the file is missing, not valid JSON, or holds a bad entry
   */
  public List<GeneratedCaption> read(Path file) throws DatasetException {
    List<GeneratedCaption> results = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file);
        JsonParser p = mapper.createParser(in)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_ARRAY) {
        String found = first == null ? "an empty file" : describe(p.readValueAsTree());
        throw new DatasetException(file + ": (top level): expected a JSON array of "
            + "{\"image_id\": ..., \"caption\": ...} objects, found " + found);
      }
      int index = 0;
      while (p.nextToken() != JsonToken.END_ARRAY) {
        results.add(entry(file, index++, p.readValueAsTree()));
      }
      if (p.nextToken() != null) {
        throw new DatasetException(file + ": (top level): expected the end of the file after "
            + "the results array, found more content at line " + p.currentLocation().getLineNr());
      }
    } catch (NoSuchFileException e) {
      throw new DatasetException(file + ": file not found", e);
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      String at = loc == null
          ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
      throw new DatasetException(file + ": not valid JSON: " + e.getOriginalMessage() + at, e);
    } catch (IOException e) {
      throw new DatasetException(file + ": cannot read: " + e.getMessage(), e);
    }
    return List.copyOf(results);
  }

  private static GeneratedCaption entry(Path file, int index, JsonNode n)
      throws DatasetException {
    String at = file + ": [" + index + "]";
    if (n == null || !n.isObject()) {
      throw new DatasetException(at + ": expected an object {\"image_id\": ..., \"caption\": "
          + "...}, found " + describe(n));
    }
    JsonNode idNode = n.get("image_id");
    Long imageId = integer(idNode);
    if (imageId == null) {
      throw new DatasetException(at + ".image_id: expected an integer, found " + describe(idNode));
    }
    JsonNode captionNode = n.get("caption");
    if (captionNode == null || !captionNode.isTextual()) {
      throw new DatasetException(at + ".caption (image id " + imageId + "): expected a string, "
          + "found " + describe(captionNode));
    }
    return new GeneratedCaption(imageId, captionNode.textValue());
  }

  private static Long integer(JsonNode n) {
    if (n == null || !n.isNumber()) {
      return null;
    }
    if (n.isIntegralNumber()) {
      return n.canConvertToLong() ? n.longValue() : null;
    }
    double d = n.doubleValue();
    return d == Math.rint(d) && Math.abs(d) <= MAX_EXACT_LONG ? (long) d : null;
  }

  static String describe(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "nothing (no such field)";
    }
    if (n.isNull()) {
      return "null";
    }
    if (n.isTextual()) {
      String t = n.textValue();
      return t.length() <= QUOTE_LIMIT ? "the string '" + t + "'"
          : "the string '" + t.substring(0, QUOTE_LIMIT) + "...'";
    }
    if (n.isObject()) {
      return "an object";
    }
    if (n.isArray()) {
      return "an array of " + n.size();
    }
    if (n.isBoolean()) {
      return "the boolean " + n.booleanValue();
    }
    return n.asText();
  }

  @Override
  public String toString() {
    return "CaptionResultsReader";
  }
}
