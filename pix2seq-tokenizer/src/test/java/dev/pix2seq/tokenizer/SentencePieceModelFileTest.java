package dev.pix2seq.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.ConfigException;
import dev.pix2seq.tokenizer.SentencePieceModelFile.Piece;
import dev.pix2seq.tokenizer.SentencePieceModelFile.PieceType;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading {@code .model} files: what is kept, and one clear message for each kind of bad file. */
class SentencePieceModelFileTest {
  @TempDir Path dir;

  @Test
  void readsPiecesSpecialNamesAndNormalizerSettings() throws Exception {
    SentencePieceModelFile model =
        SentencePieceModelFile.read(SentencePieceGolden.modelFile(SentencePieceGolden.DEFAULT));
    assertEquals(150, model.pieces().size());
    assertEquals(new Piece("<unk>", 0f, PieceType.UNKNOWN), model.pieces().get(0));
    assertEquals(PieceType.CONTROL, model.pieces().get(1).type());
    assertEquals("</s>", model.pieces().get(2).text());
    assertEquals(PieceType.NORMAL, model.pieces().get(3).type());
    assertTrue(model.pieces().get(3).score() < 0);
    assertEquals(SentencePieceModelFile.DEFAULT_UNK_SURFACE, model.unkSurface());
    assertEquals(" \u2047 ", model.unkSurface());
    assertTrue(model.addDummyPrefix());
    assertTrue(model.removeExtraWhitespaces());
    assertTrue(model.escapeWhitespaces());
    assertFalse(model.byteFallback());
    assertTrue(model.precompiledCharsmap().length > 100_000, "nmt_nfkc");

    SentencePieceModelFile options =
        SentencePieceModelFile.read(SentencePieceGolden.modelFile(SentencePieceGolden.OPTIONS));
    assertEquals("<?>", options.unkSurface());
    assertFalse(options.addDummyPrefix());
    assertFalse(options.removeExtraWhitespaces());
    assertEquals(0, options.precompiledCharsmap().length, "identity");
    assertEquals(PieceType.USER_DEFINED,
        options.pieces().stream().filter(p -> p.text().equals("<sep>")).findFirst().orElseThrow()
            .type());

    SentencePieceModelFile bytes =
        SentencePieceModelFile.read(SentencePieceGolden.modelFile(SentencePieceGolden.BYTES));
    assertTrue(bytes.byteFallback());
    assertEquals(256, bytes.pieces().stream().filter(p -> p.type() == PieceType.BYTE).count());
  }

  @Test
  void equalFilesGiveEqualModels() throws Exception {
    Path file = SentencePieceGolden.modelFile(SentencePieceGolden.DEFAULT);
    SentencePieceModelFile a = SentencePieceModelFile.read(file);
    SentencePieceModelFile b = SentencePieceModelFile.parse(Files.readAllBytes(file), "copy");
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertFalse(a.equals(
        SentencePieceModelFile.read(SentencePieceGolden.modelFile(SentencePieceGolden.BYTES))));
  }

  @Test
  void missingFile() {
    Path file = dir.resolve("absent.model");
    assertMessage(file, "not found");
  }

  @Test
  void emptyFile() throws Exception {
    Path file = write("empty.model", new byte[0]);
    assertMessage(file, "not a valid sentencepiece model", "empty");
  }

  @Test
  void truncatedFile() throws Exception {
    byte[] whole = Files.readAllBytes(SentencePieceGolden.modelFile(SentencePieceGolden.BYTES));
    Path file = write("truncated.model", Arrays.copyOf(whole, whole.length / 2));
    assertMessage(file, "not a valid sentencepiece model", "remain");
  }

  @Test
  void pngFile() throws Exception {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", png);
    Path file = write("image.model", png.toByteArray());
    assertMessage(file, "not a valid sentencepiece model", "PNG");
  }

  @Test
  void textFile() throws Exception {
    Path file =
        write("notes.model", "hello, this is not a model\n".getBytes(StandardCharsets.UTF_8));
    assertMessage(file, "not a valid sentencepiece model");
  }

  @Test
  void jsonFile() throws Exception {
    Path file = write("tokenizer.model", "{\"model\": {}}".getBytes(StandardCharsets.UTF_8));
    assertMessage(file, "not a valid sentencepiece model", "JSON");
  }

  @Test
  void wrongWireTypeNamesTheField() throws Exception {
    Path file = write("wire.model", new byte[] {0x08, 0x01});
    assertMessage(file, "ModelProto.pieces", "wire type 2");
  }

  @Test
  void modelWithoutUnknownPiece() throws Exception {
    // one piece {piece: "a", type: NORMAL}
    Path file = write("nounk.model", new byte[] {0x0A, 0x05, 0x0A, 0x01, 'a', 0x18, 0x01});
    assertMessage(file, "UNKNOWN", "none");
  }

  @Test
  void otherModelTypesAreRejected() throws Exception {
    // trainer_spec {model_type: BPE} merged into a valid model
    Path file = appendToModel("bpe.model", new byte[] {0x12, 0x02, 0x18, 0x02});
    assertMessage(file, "BPE (2)", "UNIGRAM");
  }

  @Test
  void denormalizationRulesAreRejected() throws Exception {
    // denormalizer_spec {precompiled_charsmap: 8 bytes}
    Path file = appendToModel("denorm.model",
        new byte[] {0x2A, 0x0A, 0x12, 0x08, 4, 0, 0, 0, 0, 0, 0, 0});
    assertMessage(file, "denormalizer_spec");
  }

  @Test
  void brokenCharsmapIsNamed() throws Exception {
    // normalizer_spec {precompiled_charsmap: trie size larger than the blob}
    Path file = appendToModel("charsmap.model",
        new byte[] {0x1A, 0x07, 0x12, 0x05, (byte) 0xFF, 0, 0, 0, 1});
    assertMessage(file, "precompiled_charsmap");
  }

  @Test
  void tokenizerOpensTheSameWay() {
    Path file = dir.resolve("absent.model");
    ConfigException e =
        assertThrows(ConfigException.class, () -> SentencePieceTokenizer.open(file));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
  }

  private Path appendToModel(String name, byte[] extra) throws Exception {
    byte[] whole = Files.readAllBytes(SentencePieceGolden.modelFile(SentencePieceGolden.OPTIONS));
    byte[] out = Arrays.copyOf(whole, whole.length + extra.length);
    System.arraycopy(extra, 0, out, whole.length, extra.length);
    return write(name, out);
  }

  private Path write(String name, byte[] bytes) throws Exception {
    Path file = dir.resolve(name);
    Files.write(file, bytes);
    return file;
  }

  private static void assertMessage(Path file, String... parts) {
    ConfigException e =
        assertThrows(ConfigException.class, () -> SentencePieceModelFile.read(file));
    String m = e.getMessage();
    assertTrue(m.startsWith(file.toString() + ": "), m);
    assertFalse(m.contains("\n"), "one line: " + m);
    for (String part : parts) {
      assertTrue(m.contains(part), "'" + part + "' missing in: " + m);
    }
  }
}
