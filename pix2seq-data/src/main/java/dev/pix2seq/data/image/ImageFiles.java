package dev.pix2seq.data.image;

import dev.pix2seq.api.DatasetException;
import dev.pix2seq.api.config.ConfigIO;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.data.coco.CocoImage;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Image files of a COCO-layout dataset.
 *
 * <ul>
 *   <li>{@link #resolve(Path, long, String)} turns a COCO {@code file_name} into a path inside
 *       the image folder, refusing absolute names and names that escape the folder;
 *   <li>{@link #read(Path)} decodes PNG or JPEG (anything {@code javax.imageio} reads) into a
 *       {@link BufferedImage#TYPE_INT_RGB} image; {@link #read(Path, CocoImage)} also checks the
 *       decoded size against the JSON's {@code width} and {@code height};
 *   <li>{@link #toTensor(BufferedImage)} and {@link #toBufferedImage(ImageTensor)} convert to
 *       and from the model's CHW float RGB tensor in [0, 1] ({@code value = byte / 255});
 *       {@link #toTensorFlowLevels(ImageTensor)} re-expresses such values as TensorFlow decodes
 *       them ({@code byte * float32(1 / 255)}), for the official Pix2seq preprocessing;
 *   <li>{@link #writePng(BufferedImage, Path)} writes a PNG atomically; the same pixels always
 *       give the same bytes.
 * </ul>
 *
 * <pre>{@code
 * CocoImage entry = dataset.image(42);
 * BufferedImage rgb = ImageFiles.read(layout.imageDir(), entry);
 * ImageTensor tensor = ImageFiles.toTensor(rgb);
 * }</pre>
 *
 * <p>Grayscale images are expanded to RGB from their stored sample values (no colour-space
 * conversion, so gray level {@code g} becomes {@code (g, g, g)}); an alpha channel is dropped.
 * Stateless and thread safe.
 */
public final class ImageFiles {

  /** The largest image file read: a Java array's limit, far above any real photo. */
  private static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

  /** TensorFlow's step between 8-bit levels: the float32 nearest to 1 / 255. */
  private static final float TF_LEVEL_STEP = (float) (1.0 / 255);

  private ImageFiles() {}

  /**
   * The file of a COCO {@code file_name} inside {@code imageDir}.
   *
   * @throws DatasetException naming the image id and file name if the name is empty, absolute,
   *     uses {@code \} separators, is not a valid path, or leads outside {@code imageDir}
   */
  public static Path resolve(Path imageDir, long imageId, String fileName)
      throws DatasetException {
    String where = "image id " + imageId + ", file_name '" + fileName + "'";
    if (fileName == null || fileName.isEmpty()) {
      throw new DatasetException(where + ": expected a relative file name, found none");
    }
    if (fileName.indexOf('\\') >= 0) {
      throw new DatasetException(
          where + ": expected '/' as path separator, found '\\' (folder " + imageDir + ")");
    }
    if (fileName.startsWith("/") || (fileName.length() > 1 && fileName.charAt(1) == ':')) {
      throw new DatasetException(
          where + ": expected a path relative to the image folder " + imageDir
              + ", found an absolute path");
    }
    Path relative;
    try {
      relative = imageDir.getFileSystem().getPath(fileName);
    } catch (InvalidPathException e) {
      throw new DatasetException(where + ": not a valid path: " + e.getReason(), e);
    }
    if (relative.isAbsolute()) {
      throw new DatasetException(
          where + ": expected a path relative to the image folder " + imageDir
              + ", found an absolute path");
    }
    Path base = imageDir.toAbsolutePath().normalize();
    Path target = base.resolve(relative).normalize();
    if (!target.startsWith(base) || target.equals(base)) {
      throw new DatasetException(
          where + ": expected a file inside the image folder " + imageDir
              + ", found a path leading outside it");
    }
    return imageDir.resolve(relative).normalize();
  }

  /** {@link #resolve(Path, long, String)} for a COCO image entry. */
  public static Path resolve(Path imageDir, CocoImage image) throws DatasetException {
    return resolve(imageDir, image.id(), image.fileName());
  }

  /**
   * Reads the image of a COCO entry and checks its decoded size against the entry's width and
   * height.
   *
   * @return a {@link BufferedImage#TYPE_INT_RGB} image
   * @throws DatasetException naming the file and image id if the name is unsafe, the file is
   *     missing, empty or undecodable, or its size differs from the entry's
   */
  public static BufferedImage read(Path imageDir, CocoImage image) throws DatasetException {
    Path file = resolve(imageDir, image);
    BufferedImage rgb = read(file, ImageReadOptions.storedPixels());
    if (rgb.getWidth() != image.width() || rgb.getHeight() != image.height()) {
      throw new DatasetException(
          file + ": image id " + image.id() + ": expected " + image.width() + "x"
              + image.height() + " (width x height, as in the JSON), found "
              + rgb.getWidth() + "x" + rgb.getHeight());
    }
    return rgb;
  }

  /**
   * Reads a PNG or JPEG file as a person sees it ({@link ImageReadOptions#defaults()}: at most
   * 100 megapixels, EXIF orientation applied).
   *
   * @return a {@link BufferedImage#TYPE_INT_RGB} image
   * @throws DatasetException naming the file if it is missing, empty, unreadable, not an image
   *     format {@code javax.imageio} decodes, or too large
   */
  public static BufferedImage read(Path file) throws DatasetException {
    return read(file, ImageReadOptions.defaults());
  }

  /**
   * Reads a PNG or JPEG file. The size its header declares is checked against the options'
   * pixel budget before any pixel is decoded; running out of memory while decoding is reported
   * as a {@code DatasetException} too, never as an {@link OutOfMemoryError}.
   *
   * @return a {@link BufferedImage#TYPE_INT_RGB} image
   * @throws DatasetException naming the file if it is missing, empty, unreadable, not an image
   *     format {@code javax.imageio} decodes, over the pixel budget, or too large to decode in
   *     the memory the JVM has
   */
  public static BufferedImage read(Path file, ImageReadOptions options) throws DatasetException {
    byte[] bytes = readBytes(file);
    if (bytes.length == 0) {
      throw new DatasetException(file + ": expected a PNG or JPEG image, found an empty file");
    }
    int[] size = new int[2];
    try {
      BufferedImage decoded = decode(bytes, file, options, size);
      if (decoded == null) {
        throw new DatasetException(
            file + ": expected a PNG or JPEG image, found a format no image reader recognises");
      }
      if (decoded.getWidth() <= 0 || decoded.getHeight() <= 0) {
        throw new DatasetException(
            file + ": expected a non-empty image, found " + decoded.getWidth() + "x"
                + decoded.getHeight());
      }
      return options.applyOrientation()
          ? ExifOrientation.apply(decoded, ExifOrientation.of(bytes))
          : toRgb(decoded);
    } catch (OutOfMemoryError e) {
      throw new DatasetException(file + ": not enough memory to decode the " + size[0] + "x"
          + size[1] + " image (maximum heap " + (Runtime.getRuntime().maxMemory() >> 20)
          + " MB); give Java more memory (-Xmx) or read smaller images", e);
    }
  }

  /** The bytes of a file, refusing files an array cannot hold. */
  private static byte[] readBytes(Path file) throws DatasetException {
    try {
      long length = Files.size(file);
      if (length > MAX_FILE_BYTES) {
        throw new DatasetException(file + ": the image file is " + length + " bytes, more than "
            + "the " + MAX_FILE_BYTES + " bytes an image file may have");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new DatasetException(file + ": image file not found", e);
    } catch (IOException e) {
      throw new DatasetException(file + ": cannot read image file: " + e.getMessage(), e);
    }
  }

  /**
   * Decodes with the first reader that recognises the bytes, after checking the declared size
   * (written to {@code size} as width, height); null when no reader recognises them.
   */
  private static BufferedImage decode(byte[] bytes, Path file, ImageReadOptions options,
      int[] size) throws DatasetException {
    try (ImageInputStream stream =
        new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
      if (!readers.hasNext()) {
        return null;
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(stream, true, true);
        size[0] = reader.getWidth(0);
        size[1] = reader.getHeight(0);
        if (!options.allows(size[0], size[1])) {
          throw new DatasetException(options.refusal(file.toString(), size[0], size[1]));
        }
        return reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      throw new DatasetException(file + ": cannot decode image: " + e.getMessage(), e);
    }
  }

  /**
   * The image as {@link BufferedImage#TYPE_INT_RGB}: the same object if it already is, else a
   * converted copy (gray expanded from sample values, alpha dropped).
   */
  public static BufferedImage toRgb(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_INT_RGB) {
      return image;
    }
    int w = image.getWidth();
    int h = image.getHeight();
    BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[w];
    if (isStoredGray(image)) {
      Raster raster = image.getRaster();
      int max = (1 << image.getColorModel().getComponentSize(0)) - 1;
      for (int y = 0; y < h; y++) {
        raster.getSamples(0, y, w, 1, 0, row);
        for (int x = 0; x < w; x++) {
          int g = (int) (((long) row[x] * 255 + max / 2) / max);
          row[x] = (g << 16) | (g << 8) | g;
        }
        rgb.setRGB(0, y, w, 1, row, 0, w);
      }
    } else if (isPlainSrgbBytes(image)) {
      // the decoders' usual output (3BYTE_BGR, 4BYTE_ABGR, PNG's RGB and RGBA): the samples
      // are the sRGB levels, so they are copied without getRGB's per-pixel colour model calls
      Raster raster = image.getRaster();
      int bands = raster.getNumBands();
      byte[] samples = new byte[w * bands];
      WritableRaster out = rgb.getRaster();
      for (int y = 0; y < h; y++) {
        raster.getDataElements(0, y, w, 1, samples);
        for (int x = 0, i = 0; x < w; x++, i += bands) {
          row[x] = ((samples[i] & 0xFF) << 16) | ((samples[i + 1] & 0xFF) << 8)
              | (samples[i + 2] & 0xFF);
        }
        out.setDataElements(0, y, w, 1, row);
      }
    } else {
      for (int y = 0; y < h; y++) {
        image.getRGB(0, y, w, 1, row, 0, w);
        for (int x = 0; x < w; x++) {
          row[x] &= 0xFFFFFF;
        }
        rgb.setRGB(0, y, w, 1, row, 0, w);
      }
    }
    return rgb;
  }

  /**
   * Images whose raster holds 8-bit sRGB samples in band order red, green, blue (and a
   * non-premultiplied alpha), the levels {@code getRGB} would return.
   */
  private static boolean isPlainSrgbBytes(BufferedImage image) {
    ColorModel cm = image.getColorModel();
    Raster raster = image.getRaster();
    int bands = raster.getNumBands();
    if (!(cm instanceof ComponentColorModel) || !cm.getColorSpace().isCS_sRGB()
        || cm.getTransferType() != DataBuffer.TYPE_BYTE || cm.isAlphaPremultiplied()
        || !(raster.getSampleModel() instanceof ComponentSampleModel)
        || !(bands == 3 || (bands == 4 && cm.hasAlpha()))) {
      return false;
    }
    for (int i = 0; i < bands; i++) {
      if (cm.getComponentSize(i) != 8) {
        return false;
      }
    }
    return true;
  }

  /** Gray images whose samples are the intended levels (no colour-space conversion wanted). */
  private static boolean isStoredGray(BufferedImage image) {
    ColorModel cm = image.getColorModel();
    int bands = image.getRaster().getNumBands();
    return cm instanceof ComponentColorModel
        && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY
        && (bands == 1 || bands == 2)
        && cm.getComponentSize(0) <= 16;
  }

  /**
   * The image as a CHW float RGB tensor, each value {@code byte / 255f} in [0, 1].
   *
   * @param image any image; converted as by {@link #toRgb(BufferedImage)}
   */
  public static ImageTensor toTensor(BufferedImage image) {
    BufferedImage rgb = toRgb(image);
    int w = rgb.getWidth();
    int h = rgb.getHeight();
    int plane = w * h;
    float[] pixels = new float[3 * plane];
    int[] row = new int[w];
    Raster raster = rgb.getRaster();
    for (int y = 0; y < h; y++) {
      // TYPE_INT_RGB's data elements are the packed 0xRRGGBB pixels
      raster.getDataElements(0, y, w, 1, row);
      int base = y * w;
      for (int x = 0; x < w; x++) {
        int p = row[x];
        pixels[base + x] = ((p >> 16) & 0xFF) / 255f;
        pixels[plane + base + x] = ((p >> 8) & 0xFF) / 255f;
        pixels[2 * plane + base + x] = (p & 0xFF) / 255f;
      }
    }
    return new ImageTensor(pixels, 3, h, w);
  }

  /**
   * The tensor with every 8-bit level as TensorFlow decodes it: a value that is a level as
   * {@link #toTensor} makes it ({@code k / 255f} for an integer {@code k} in 0..255) becomes
   * {@code k * (float) (1.0 / 255)}, what {@code tf.image.convert_image_dtype} (uint8 to
   * float32) gives, a multiply by the float32 reciprocal; for 126 of the 256 levels the two
   * differ in the last bit. Other values are kept (a float image is not converted by TensorFlow
   * either). So {@code toTensorFlowLevels(toTensor(img))} is exactly the official Pix2seq
   * pipeline's decoded image.
   *
   * @return {@code tensor} itself when no value changes, else a new tensor
   */
  public static ImageTensor toTensorFlowLevels(ImageTensor tensor) {
    float[] px = tensor.pixels();
    float[] out = null;
    for (int i = 0; i < px.length; i++) {
      float v = px[i];
      int k = Math.round(v * 255f);
      if (k < 0 || k > 255 || k / 255f != v) {
        continue;
      }
      float tf = k * TF_LEVEL_STEP;
      if (Float.floatToRawIntBits(tf) != Float.floatToRawIntBits(v)) {
        if (out == null) {
          out = px.clone();
        }
        out[i] = tf;
      }
    }
    return out == null
        ? tensor
        : new ImageTensor(out, tensor.channels(), tensor.height(), tensor.width());
  }

  /**
   * A {@link BufferedImage#TYPE_INT_RGB} image from a CHW tensor of 3 channels (RGB) or 1
   * (gray, copied to all three). Values are clamped to [0, 1] and rounded to the nearest of 256
   * levels, so {@code toBufferedImage(toTensor(img))} gives back the pixels of {@code img}.
   *
   * @throws IllegalArgumentException if the tensor has another channel count or holds NaN
   */
  public static BufferedImage toBufferedImage(ImageTensor tensor) {
    int c = tensor.channels();
    if (c != 3 && c != 1) {
      throw new IllegalArgumentException(
          "expected a tensor of 3 (RGB) or 1 (gray) channels, found " + c);
    }
    int w = tensor.width();
    int h = tensor.height();
    int plane = w * h;
    float[] px = tensor.pixels();
    int gOff = c == 3 ? plane : 0;
    int bOff = c == 3 ? 2 * plane : 0;
    BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      int base = y * w;
      for (int x = 0; x < w; x++) {
        int i = base + x;
        row[x] = (level(px[i], i) << 16) | (level(px[gOff + i], gOff + i) << 8)
            | level(px[bOff + i], bOff + i);
      }
      rgb.setRGB(0, y, w, 1, row, 0, w);
    }
    return rgb;
  }

  private static int level(float v, int index) {
    if (Float.isNaN(v)) {
      throw new IllegalArgumentException("image tensor holds NaN at flat index " + index);
    }
    return Math.round(Math.min(1f, Math.max(0f, v)) * 255f);
  }

  /**
   * The PNG encoding of an image: 8-bit gray for {@link BufferedImage#TYPE_BYTE_GRAY}, else
   * 8-bit RGB (alpha dropped). Deterministic: the same pixels give the same bytes.
   */
  public static byte[] encodePng(BufferedImage image) throws IOException {
    BufferedImage toWrite =
        image.getType() == BufferedImage.TYPE_BYTE_GRAY ? image : toRgb(image);
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
    if (!writers.hasNext()) {
      throw new IOException("no PNG writer available in javax.imageio");
    }
    ImageWriter writer = writers.next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      writer.write(null, new IIOImage(toWrite, null, null), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /**
   * Writes an image as PNG (see {@link #encodePng(BufferedImage)}), atomically: through a temp
   * file in the same folder and a rename, creating missing parent folders.
   */
  public static void writePng(BufferedImage image, Path file) throws IOException {
    ConfigIO.writeAtomically(file, encodePng(image));
  }
}
