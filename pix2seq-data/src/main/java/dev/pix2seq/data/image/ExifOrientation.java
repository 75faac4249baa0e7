package dev.pix2seq.data.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.charset.StandardCharsets;

/**
 * The EXIF orientation of an image file (TIFF tag 274) and how to apply it, so that pixels come
 * out as an image viewer shows them. Cameras and phones store the sensor's pixels and record in
 * this tag how to turn them: 1 as stored, 2 mirrored left-right, 3 rotated 180 degrees, 4
 * mirrored top-bottom, 5 transposed (mirrored about the main diagonal), 6 rotated 90 degrees
 * clockwise, 7 transversed (mirrored about the other diagonal), 8 rotated 90 degrees
 * counter-clockwise. Read from a JPEG's APP1 {@code Exif} segment or a PNG's {@code eXIf}
 * chunk; anything unreadable counts as 1. Stateless and thread-safe.
 */
public final class ExifOrientation {

  /** Pixels as stored. */
  public static final int NORMAL = 1;

  private static final int ORIENTATION_TAG = 0x0112;
  private static final int SHORT = 3;

  private ExifOrientation() {}

  /** The orientation (1 to 8) a JPEG or PNG file's bytes declare; 1 when none or invalid. */
  public static int of(byte[] file) {
    int value = NORMAL;
    if (isJpeg(file)) {
      value = fromJpeg(file);
    } else if (isPng(file)) {
      value = fromPng(file);
    }
    return value >= 1 && value <= 8 ? value : NORMAL;
  }

  /**
   * The image turned as {@code orientation} says, as {@link BufferedImage#TYPE_INT_RGB}: the
   * image itself for 1 when it already is that type, else a new image, with width and height
   * swapped for 5 to 8.
   *
   * @throws IllegalArgumentException for an orientation outside 1..8
   */
  public static BufferedImage apply(BufferedImage image, int orientation) {
    if (orientation < 1 || orientation > 8) {
      throw new IllegalArgumentException("EXIF orientation must be 1 to 8, found " + orientation);
    }
    BufferedImage rgb = ImageFiles.toRgb(image);
    if (orientation == NORMAL) {
      return rgb;
    }
    int w = rgb.getWidth();
    int h = rgb.getHeight();
    boolean swap = orientation >= 5;
    int outW = swap ? h : w;
    BufferedImage out = new BufferedImage(outW, swap ? w : h, BufferedImage.TYPE_INT_RGB);
    int[] src = rgb.getRGB(0, 0, w, h, null, 0, w);
    int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        dst[target(orientation, x, y, w, h, outW)] = src[y * w + x];
      }
    }
    return out;
  }

  /** The index in the turned image (width {@code outW}) of stored pixel (x, y) of w x h. */
  private static int target(int orientation, int x, int y, int w, int h, int outW) {
    return switch (orientation) {
      case 2 -> y * outW + (w - 1 - x);
      case 3 -> (h - 1 - y) * outW + (w - 1 - x);
      case 4 -> (h - 1 - y) * outW + x;
      case 5 -> x * outW + y;
      case 6 -> x * outW + (h - 1 - y);
      case 7 -> (w - 1 - x) * outW + (h - 1 - y);
      case 8 -> (w - 1 - x) * outW + y;
      default -> y * outW + x;
    };
  }

  private static boolean isJpeg(byte[] b) {
    return b.length > 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8;
  }

  private static boolean isPng(byte[] b) {
    return b.length > 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
  }

  /** Walks the JPEG markers up to the image data, looking for an APP1 Exif segment. */
  private static int fromJpeg(byte[] b) {
    int at = 2;
    while (at + 4 <= b.length) {
      if ((b[at] & 0xFF) != 0xFF) {
        return NORMAL;
      }
      int marker = b[at + 1] & 0xFF;
      if (marker == 0xFF) {
        at++;
        continue;
      }
      if (marker == 0xD9 || marker == 0xDA) {
        return NORMAL;
      }
      int length = ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
      int start = at + 4;
      if (length < 2 || start + length - 2 > b.length) {
        return NORMAL;
      }
      if (marker == 0xE1 && length >= 8
          && new String(b, start, 6, StandardCharsets.ISO_8859_1).equals("Exif\0\0")) {
        return fromTiff(b, start + 6, start + length - 2);
      }
      at = start + length - 2;
    }
    return NORMAL;
  }

  /** Walks the PNG chunks up to the image data, looking for an eXIf chunk. */
  private static int fromPng(byte[] b) {
    int at = 8;
    while (at + 8 <= b.length) {
      long length = readInt(b, at, true) & 0xFFFFFFFFL;
      String type = new String(b, at + 4, 4, StandardCharsets.ISO_8859_1);
      int start = at + 8;
      if (length > b.length - start) {
        return NORMAL;
      }
      if (type.equals("eXIf")) {
        return fromTiff(b, start, start + (int) length);
      }
      if (type.equals("IDAT") || type.equals("IEND")) {
        return NORMAL;
      }
      at = start + (int) length + 4;
    }
    return NORMAL;
  }

  /** The orientation tag of the first IFD of TIFF data in {@code b[from, to)}. */
  private static int fromTiff(byte[] b, int from, int to) {
    if (to - from < 8) {
      return NORMAL;
    }
    boolean bigEndian;
    if (b[from] == 'M' && b[from + 1] == 'M') {
      bigEndian = true;
    } else if (b[from] == 'I' && b[from + 1] == 'I') {
      bigEndian = false;
    } else {
      return NORMAL;
    }
    long ifd = readInt(b, from + 4, bigEndian) & 0xFFFFFFFFL;
    if (ifd < 8 || ifd + 2 > to - from) {
      return NORMAL;
    }
    int at = from + (int) ifd;
    int entries = readShort(b, at, bigEndian);
    for (int i = 0; i < entries; i++) {
      int entry = at + 2 + 12 * i;
      if (entry + 12 > to) {
        return NORMAL;
      }
      if (readShort(b, entry, bigEndian) == ORIENTATION_TAG) {
        return readShort(b, entry + 2, bigEndian) == SHORT
            ? readShort(b, entry + 8, bigEndian) : NORMAL;
      }
    }
    return NORMAL;
  }

  private static int readShort(byte[] b, int at, boolean bigEndian) {
    int a = b[at] & 0xFF;
    int c = b[at + 1] & 0xFF;
    return bigEndian ? (a << 8) | c : (c << 8) | a;
  }

  private static int readInt(byte[] b, int at, boolean bigEndian) {
    int hi = readShort(b, bigEndian ? at : at + 2, bigEndian);
    int lo = readShort(b, bigEndian ? at + 2 : at, bigEndian);
    return (hi << 16) | lo;
  }
}
