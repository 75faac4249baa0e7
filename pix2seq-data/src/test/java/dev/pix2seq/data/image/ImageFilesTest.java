package dev.pix2seq.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.DatasetException;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.data.coco.CocoImage;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageFilesTest {
  @TempDir Path dir;

  private static BufferedImage randomImage(int width, int height, long seed) {
    Random random = new Random(seed);
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.setRGB(x, y, random.nextInt(1 << 24));
      }
    }
    return img;
  }

  private static int[] pixels(BufferedImage img) {
    return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
  }

  @Test
  void resolvesRelativeNamesInsideTheFolder() throws Exception {
    Path images = dir.resolve("images");
    assertEquals(images.resolve("a.png"), ImageFiles.resolve(images, 1, "a.png"));
    assertEquals(images.resolve("sub/b.jpg"), ImageFiles.resolve(images, 2, "sub/b.jpg"));
    assertEquals(images.resolve("c.png"), ImageFiles.resolve(images, 3, "sub/../c.png"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x.png", "sub/../../x.png", "..", ".", "/etc/passwd", "C:/x.png",
      "sub\\x.png", ""})
  void rejectsNamesThatAreAbsoluteOrEscapeTheFolder(String fileName) {
    DatasetException e = assertThrows(DatasetException.class,
        () -> ImageFiles.resolve(dir.resolve("images"), 42, fileName));
    assertTrue(e.getMessage().contains("image id 42"), e.getMessage());
    assertTrue(e.getMessage().contains("file_name '" + fileName + "'"), e.getMessage());
  }

  @Test
  void pngRoundTripKeepsEveryPixel() throws Exception {
    BufferedImage img = randomImage(13, 7, 1);
    Path file = dir.resolve("images/a.png");
    ImageFiles.writePng(img, file);

    BufferedImage read = ImageFiles.read(dir.resolve("images"), new CocoImage(5, "a.png", 13, 7));

    assertEquals(BufferedImage.TYPE_INT_RGB, read.getType());
    assertArrayEquals(pixels(img), pixels(read));
  }

  @Test
  void pngBytesAreDeterministicAndWritingIsAtomic() throws Exception {
    BufferedImage img = randomImage(16, 9, 2);
    Path file = dir.resolve("out/a.png");
    ImageFiles.writePng(img, file);
    byte[] first = Files.readAllBytes(file);
    ImageFiles.writePng(randomImage(16, 9, 2), file);

    assertArrayEquals(first, Files.readAllBytes(file));
    assertArrayEquals(first, ImageFiles.encodePng(img));
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertEquals(List.of(file), files.toList(), "no temp file left behind");
    }
  }

  @Test
  void readsJpegAsRgb() throws Exception {
    BufferedImage img = new BufferedImage(10, 8, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 10; x++) {
        img.setRGB(x, y, 0x3080C0);
      }
    }
    Path file = dir.resolve("a.jpg");
    assertTrue(ImageIO.write(img, "jpg", file.toFile()));

    BufferedImage read = ImageFiles.read(file);

    assertEquals(BufferedImage.TYPE_INT_RGB, read.getType());
    int p = read.getRGB(4, 4);
    assertTrue(Math.abs(((p >> 16) & 0xFF) - 0x30) <= 3, Integer.toHexString(p));
    assertTrue(Math.abs(((p >> 8) & 0xFF) - 0x80) <= 3, Integer.toHexString(p));
    assertTrue(Math.abs((p & 0xFF) - 0xC0) <= 3, Integer.toHexString(p));
  }

  @Test
  void grayPngExpandsStoredLevelsWithoutColourConversion() throws Exception {
    BufferedImage gray = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_GRAY);
    int[] levels = {0, 1, 64, 128, 200, 254, 255, 17};
    gray.getRaster().setSamples(0, 0, 4, 2, 0, levels);
    Path file = dir.resolve("gray.png");
    ImageFiles.writePng(gray, file);

    BufferedImage read = ImageFiles.read(file);

    int[] rgb = pixels(read);
    for (int i = 0; i < levels.length; i++) {
      int g = levels[i];
      assertEquals((g << 16) | (g << 8) | g, rgb[i] & 0xFFFFFF, "level " + g);
    }
  }

  @Test
  void alphaIsDroppedWhenConverting() {
    BufferedImage argb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(0, 0, 0x80112233);
    BufferedImage rgb = ImageFiles.toRgb(argb);
    assertEquals(0x112233, rgb.getRGB(0, 0) & 0xFFFFFF);
    assertSame(rgb, ImageFiles.toRgb(rgb));
  }

  @Test
  void byteRastersConvertToTheLevelsGetRgbGives() {
    java.util.Random random = new java.util.Random(7);
    for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR,
        BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_INT_BGR}) {
      BufferedImage image = new BufferedImage(13, 5, type);
      for (int y = 0; y < 5; y++) {
        for (int x = 0; x < 13; x++) {
          image.setRGB(x, y, random.nextInt() | 0xFF000000);
        }
      }
      BufferedImage rgb = ImageFiles.toRgb(image);
      for (int y = 0; y < 5; y++) {
        for (int x = 0; x < 13; x++) {
          assertEquals(image.getRGB(x, y) & 0xFFFFFF, rgb.getRGB(x, y) & 0xFFFFFF,
              "type " + type + " pixel " + x + "," + y);
        }
      }
    }
  }

  @Test
  void nonSrgbByteImagesAreColourConverted() {
    java.awt.color.ColorSpace linear =
        java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_LINEAR_RGB);
    java.awt.image.ComponentColorModel cm = new java.awt.image.ComponentColorModel(linear,
        false, false, java.awt.Transparency.OPAQUE, java.awt.image.DataBuffer.TYPE_BYTE);
    java.awt.image.WritableRaster raster = cm.createCompatibleWritableRaster(2, 1);
    raster.setPixel(0, 0, new int[] {64, 128, 200});
    raster.setPixel(1, 0, new int[] {10, 20, 30});
    BufferedImage image = new BufferedImage(cm, raster, false, null);
    BufferedImage rgb = ImageFiles.toRgb(image);
    for (int x = 0; x < 2; x++) {
      assertEquals(image.getRGB(x, 0) & 0xFFFFFF, rgb.getRGB(x, 0) & 0xFFFFFF);
    }
    // linear 64 is about sRGB 137: the levels were converted, not copied
    assertTrue(((rgb.getRGB(0, 0) >> 16) & 0xFF) > 100);
  }

  @Test
  void missingFileIsNamed() {
    Path file = dir.resolve("nope.png");
    DatasetException e = assertThrows(DatasetException.class, () -> ImageFiles.read(file));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("not found"), e.getMessage());
  }

  @Test
  void emptyFileIsNamed() throws Exception {
    Path file = Files.createFile(dir.resolve("empty.png"));
    DatasetException e = assertThrows(DatasetException.class, () -> ImageFiles.read(file));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("found an empty file"), e.getMessage());
  }

  @Test
  void undecodableFileIsNamed() throws Exception {
    Path file = Files.writeString(dir.resolve("text.png"), "this is not an image");
    DatasetException e = assertThrows(DatasetException.class, () -> ImageFiles.read(file));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("expected a PNG or JPEG image"), e.getMessage());
  }

  @Test
  void truncatedPngIsNamed() throws Exception {
    byte[] png = ImageFiles.encodePng(randomImage(32, 32, 3));
    Path file = Files.write(dir.resolve("cut.png"), java.util.Arrays.copyOf(png, png.length / 2));
    DatasetException e = assertThrows(DatasetException.class, () -> ImageFiles.read(file));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
  }

  @Test
  void sizeDifferentFromTheJsonIsRejected() throws Exception {
    ImageFiles.writePng(randomImage(6, 4, 4), dir.resolve("a.png"));
    DatasetException e = assertThrows(DatasetException.class,
        () -> ImageFiles.read(dir, new CocoImage(9, "a.png", 4, 6)));
    assertTrue(e.getMessage().contains("a.png"), e.getMessage());
    assertTrue(e.getMessage().contains("image id 9"), e.getMessage());
    assertTrue(e.getMessage().contains("expected 4x6"), e.getMessage());
    assertTrue(e.getMessage().contains("found 6x4"), e.getMessage());
  }

  @Test
  void tensorIsChwRgbInUnitRange() {
    BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    img.setRGB(2, 1, 0xFF8000);
    ImageTensor t = ImageFiles.toTensor(img);
    assertEquals(3, t.channels());
    assertEquals(2, t.height());
    assertEquals(3, t.width());
    assertEquals(1f, t.get(0, 1, 2));
    assertEquals(128 / 255f, t.get(1, 1, 2));
    assertEquals(0f, t.get(2, 1, 2));
    assertEquals(0f, t.get(0, 0, 0));
  }

  @Test
  void tensorRoundTripKeepsPixels() {
    BufferedImage img = randomImage(11, 5, 5);
    ImageTensor t = ImageFiles.toTensor(img);
    assertArrayEquals(pixels(img), pixels(ImageFiles.toBufferedImage(t)));
    assertEquals(t, ImageFiles.toTensor(ImageFiles.toBufferedImage(t)));
  }

  @Test
  void tensorValuesAreClampedAndNanRejected() {
    float[] px = {-0.5f, 2f, 0.5f};
    BufferedImage img = ImageFiles.toBufferedImage(new ImageTensor(px, 3, 1, 1));
    assertEquals(0x00FF80, img.getRGB(0, 0) & 0xFFFFFF);

    BufferedImage gray = ImageFiles.toBufferedImage(new ImageTensor(new float[] {1f}, 1, 1, 1));
    assertEquals(0xFFFFFF, gray.getRGB(0, 0) & 0xFFFFFF);

    assertThrows(IllegalArgumentException.class, () -> ImageFiles.toBufferedImage(
        new ImageTensor(new float[] {0, Float.NaN, 0}, 3, 1, 1)));
    assertThrows(IllegalArgumentException.class, () -> ImageFiles.toBufferedImage(
        new ImageTensor(new float[2], 2, 1, 1)));
  }
}
