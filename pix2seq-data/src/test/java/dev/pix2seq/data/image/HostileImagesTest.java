package dev.pix2seq.data.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.DatasetException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Image files a user can give that must not take the JVM down: decompression bombs (a small
 * file declaring a huge image) are refused from their header, before any pixel is decoded; and
 * photos stored sideways come out as a viewer shows them (EXIF orientation).
 */
class HostileImagesTest {

  @TempDir Path dir;

  @Test
  void aPngBombIsRefusedFromItsHeaderNamingFileSizeAndLimit() throws Exception {
    Path bomb = dir.resolve("bomb.png");
    Files.write(bomb, png(40_000, 40_000, 1, 0, null));
    assertTrue(Files.size(bomb) < 1000, "a tiny file");

    DatasetException e = assertThrows(DatasetException.class, () -> ImageFiles.read(bomb));

    assertTrue(e.getMessage().startsWith(bomb.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("40000x40000"), e.getMessage());
    assertTrue(e.getMessage().contains("1600.0 megapixels"), e.getMessage());
    assertTrue(e.getMessage().contains("limit of 100.0 megapixels"), e.getMessage());
  }

  @Test
  void aJpegWhoseHeaderDeclaresAHugeImageIsRefused() throws Exception {
    byte[] jpeg = jpeg(solid(16, 16, 0x336699));
    patchJpegSize(jpeg, 20_000, 20_000);
    Path bomb = dir.resolve("bomb.jpg");
    Files.write(bomb, jpeg);

    DatasetException e = assertThrows(DatasetException.class, () -> ImageFiles.read(bomb));
    assertTrue(e.getMessage().contains("20000x20000"), e.getMessage());
  }

  @Test
  void theBudgetIsAnOption() throws Exception {
    Path file = dir.resolve("small.png");
    ImageFiles.writePng(solid(30, 20, 0x102030), file);

    assertEquals(30, ImageFiles.read(file, ImageReadOptions.defaults().withMaxPixels(600))
        .getWidth());
    DatasetException e = assertThrows(DatasetException.class,
        () -> ImageFiles.read(file, ImageReadOptions.defaults().withMaxPixels(599)));
    assertTrue(e.getMessage().contains("30x20"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ImageReadOptions(0, true));
  }

  /** Where the stored top-left pixel of a 3 x 2 image lands for each orientation. */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void everyOrientationTurnsThePixelsAsTheExifStandardSays(int orientation) {
    BufferedImage stored = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    stored.setRGB(0, 0, 0xFF0000);
    stored.setRGB(2, 1, 0x0000FF);
    int[][] corner = {{0, 0}, {2, 0}, {2, 1}, {0, 1}, {0, 0}, {1, 0}, {1, 2}, {0, 2}};
    int[][] opposite = {{2, 1}, {0, 1}, {0, 0}, {2, 0}, {1, 2}, {0, 2}, {0, 0}, {1, 0}};

    BufferedImage shown = ExifOrientation.apply(stored, orientation);

    assertEquals(orientation >= 5 ? 2 : 3, shown.getWidth());
    assertEquals(orientation >= 5 ? 3 : 2, shown.getHeight());
    int[] c = corner[orientation - 1];
    int[] o = opposite[orientation - 1];
    assertEquals(0xFF0000, shown.getRGB(c[0], c[1]) & 0xFFFFFF, "the stored top-left");
    assertEquals(0x0000FF, shown.getRGB(o[0], o[1]) & 0xFFFFFF, "the stored bottom-right");
  }

  @Test
  void aPhoneJpegStoredSidewaysIsReadUpright() throws Exception {
    // Stored landscape 64 x 32: the left half red, the right half blue, orientation 6 (the
    // camera turned clockwise): a viewer shows it 32 x 64, red on top.
    BufferedImage stored = new BufferedImage(64, 32, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 64; x++) {
        stored.setRGB(x, y, x < 32 ? 0xFF0000 : 0x0000FF);
      }
    }
    Path photo = dir.resolve("phone.jpg");
    Files.write(photo, withExifOrientation(jpeg(stored), 6, true));

    BufferedImage upright = ImageFiles.read(photo);
    assertEquals(32, upright.getWidth());
    assertEquals(64, upright.getHeight());
    assertTrue(red(upright.getRGB(16, 8)) > 200 && blue(upright.getRGB(16, 8)) < 60);
    assertTrue(blue(upright.getRGB(16, 56)) > 200 && red(upright.getRGB(16, 56)) < 60);

    BufferedImage raw = ImageFiles.read(photo, ImageReadOptions.defaults().withOrientation(false));
    assertEquals(64, raw.getWidth(), "the stored pixels when asked");
  }

  @Test
  void littleEndianExifAndPngExifChunksAreRead() throws Exception {
    assertEquals(8, ExifOrientation.of(withExifOrientation(jpeg(solid(8, 8, 0)), 8, false)));
    assertEquals(3, ExifOrientation.of(png(2, 2, 8, 2, tiff(3, true))));
    assertEquals(1, ExifOrientation.of(png(2, 2, 8, 2, null)), "no chunk: as stored");
    assertEquals(1, ExifOrientation.of(withExifOrientation(jpeg(solid(8, 8, 0)), 9, true)),
        "an invalid value: as stored");
    assertEquals(1, ExifOrientation.of(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}),
        "a truncated header: as stored");
  }

  // ---- file builders -------------------------------------------------------------------------

  private static BufferedImage solid(int w, int h, int rgb) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, rgb);
      }
    }
    return image;
  }

  private static byte[] jpeg(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(image, "jpg", out));
    return out.toByteArray();
  }

  /** Sets the frame size in the JPEG's start-of-frame segment. */
  private static void patchJpegSize(byte[] jpeg, int width, int height) {
    for (int i = 2; i + 9 < jpeg.length; i++) {
      int marker = jpeg[i + 1] & 0xFF;
      if ((jpeg[i] & 0xFF) == 0xFF && (marker == 0xC0 || marker == 0xC2)) {
        jpeg[i + 5] = (byte) (height >> 8);
        jpeg[i + 6] = (byte) height;
        jpeg[i + 7] = (byte) (width >> 8);
        jpeg[i + 8] = (byte) width;
        return;
      }
    }
    throw new AssertionError("no start-of-frame segment");
  }

  /** The JPEG with an APP1 Exif segment holding the orientation inserted after SOI. */
  private static byte[] withExifOrientation(byte[] jpeg, int orientation, boolean bigEndian)
      throws IOException {
    byte[] tiff = tiff(orientation, bigEndian);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    out.write(0xFF);
    out.write(0xE1);
    int length = 2 + 6 + tiff.length;
    out.write(length >> 8);
    out.write(length);
    out.write("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1));
    out.write(tiff);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }

  /** TIFF data with one IFD holding one SHORT orientation entry. */
  private static byte[] tiff(int orientation, boolean bigEndian) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (bigEndian) {
      out.writeBytes(new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8});
      out.writeBytes(new byte[] {0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1,
          (byte) (orientation >> 8), (byte) orientation, 0, 0});
    } else {
      out.writeBytes(new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0});
      out.writeBytes(new byte[] {1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0,
          (byte) orientation, (byte) (orientation >> 8), 0, 0});
    }
    out.writeBytes(new byte[] {0, 0, 0, 0});
    return out.toByteArray();
  }

  /**
   * A PNG whose header declares {@code width x height}, with one (tiny) data chunk and, when
   * given, an eXIf chunk.
   */
  private static byte[] png(int width, int height, int bitDepth, int colourType, byte[] exif)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    DataOutputStream h = new DataOutputStream(header);
    h.writeInt(width);
    h.writeInt(height);
    h.write(new byte[] {(byte) bitDepth, (byte) colourType, 0, 0, 0});
    chunk(out, "IHDR", header.toByteArray());
    if (exif != null) {
      chunk(out, "eXIf", exif);
    }
    Deflater deflater = new Deflater();
    deflater.setInput(new byte[64]);
    deflater.finish();
    byte[] data = new byte[128];
    int n = deflater.deflate(data);
    chunk(out, "IDAT", java.util.Arrays.copyOf(data, n));
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data)
      throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    d.writeInt(data.length);
    byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
    d.write(t);
    d.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    d.writeInt((int) crc.getValue());
  }

  private static int red(int rgb) {
    return (rgb >> 16) & 0xFF;
  }

  private static int blue(int rgb) {
    return rgb & 0xFF;
  }
}
