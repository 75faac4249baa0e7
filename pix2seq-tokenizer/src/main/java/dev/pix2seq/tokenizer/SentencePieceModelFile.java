package dev.pix2seq.tokenizer;

import dev.pix2seq.api.ConfigException;
import dev.pix2seq.api.checkpoint.ProtobufReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a sentencepiece {@code .model} file says about tokenization: the pieces (text, score,
 * type), the special piece names, byte fallback, and the normaliser settings. Reads the file (a
 * serialized {@code sentencepiece.ModelProto}) with {@link ProtobufReader}, no protobuf
 * library. Only unigram models without denormalisation rules are accepted; training
 * settings that do not affect encoding or decoding are not kept.
 *
 * <pre>{@code
 * SentencePieceModelFile model = SentencePieceModelFile.read(Path.of("c4_en_32k_spm.model"));
 * SentencePieceTokenizer spm = SentencePieceTokenizer.of(model);
 * }</pre>
 *
 * <p>Immutable and thread-safe; equal when every kept setting and piece is equal.
 */
public final class SentencePieceModelFile {
  /** Default of {@code trainer_spec.unk_surface}: how the unknown piece decodes. */
  public static final String DEFAULT_UNK_SURFACE = " \u2047 ";

  /** Default of {@code trainer_spec.unk_piece}. */
  public static final String DEFAULT_UNK_PIECE = "<unk>";

  /** Default of {@code trainer_spec.bos_piece}. */
  public static final String DEFAULT_BOS_PIECE = "<s>";

  /** Default of {@code trainer_spec.eos_piece}. */
  public static final String DEFAULT_EOS_PIECE = "</s>";

  /** Default of {@code trainer_spec.pad_piece}. */
  public static final String DEFAULT_PAD_PIECE = "<pad>";

  private static final Pattern BYTE_PIECE = Pattern.compile("<0x[0-9A-F]{2}>");

  /** The type of a piece, with its number in {@code sentencepiece_model.proto}. */
  public enum PieceType {
    NORMAL(1),
    UNKNOWN(2),
    CONTROL(3),
    USER_DEFINED(4),
    UNUSED(5),
    BYTE(6);

    private final int number;

    PieceType(int number) {
      this.number = number;
    }

    /** The enum value in the protobuf definition. */
    public int number() {
      return number;
    }

    static PieceType ofNumber(int number) {
      for (PieceType t : values()) {
        if (t.number == number) {
          return t;
        }
      }
      return null;
    }
  }

  /**
   * One piece of the vocabulary; its id is its position.
   *
   * @param text the piece, {@code ▁} (U+2581) standing for a space; not empty
   * @param score its log-probability in a unigram model; finite
   * @param type what the piece is
   */
  public record Piece(String text, float score, PieceType type) {
    public Piece {
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(type, "type");
      if (text.isEmpty()) {
        throw new IllegalArgumentException("a piece must not be empty");
      }
      if (!Float.isFinite(score)) {
        throw new IllegalArgumentException(
            "piece '" + text + "' must have a finite score, found " + score);
      }
    }
  }

  private final List<Piece> pieces;
  private final boolean byteFallback;
  private final String unkPiece;
  private final String bosPiece;
  private final String eosPiece;
  private final String padPiece;
  private final String unkSurface;
  private final boolean addDummyPrefix;
  private final boolean removeExtraWhitespaces;
  private final boolean escapeWhitespaces;
  private final boolean treatWhitespaceAsSuffix;
  private final byte[] precompiledCharsmap;

  /**
   * Checks the pieces as sentencepiece does when it loads a model.
   *
   * @throws IllegalArgumentException when a rule is broken (the message says which)
   */
  SentencePieceModelFile(
      List<Piece> pieces,
      boolean byteFallback,
      String unkPiece,
      String bosPiece,
      String eosPiece,
      String padPiece,
      String unkSurface,
      boolean addDummyPrefix,
      boolean removeExtraWhitespaces,
      boolean escapeWhitespaces,
      boolean treatWhitespaceAsSuffix,
      byte[] precompiledCharsmap) {
    this.pieces = List.copyOf(pieces);
    this.byteFallback = byteFallback;
    this.unkPiece = orDefault(unkPiece, DEFAULT_UNK_PIECE);
    this.bosPiece = orDefault(bosPiece, DEFAULT_BOS_PIECE);
    this.eosPiece = orDefault(eosPiece, DEFAULT_EOS_PIECE);
    this.padPiece = orDefault(padPiece, DEFAULT_PAD_PIECE);
    this.unkSurface = unkSurface == null ? DEFAULT_UNK_SURFACE : unkSurface;
    this.addDummyPrefix = addDummyPrefix;
    this.removeExtraWhitespaces = removeExtraWhitespaces;
    this.escapeWhitespaces = escapeWhitespaces;
    this.treatWhitespaceAsSuffix = treatWhitespaceAsSuffix;
    this.precompiledCharsmap =
        precompiledCharsmap == null ? new byte[0] : precompiledCharsmap.clone();
    validate();
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isEmpty() ? fallback : value;
  }

  private void validate() {
    if (pieces.isEmpty()) {
      throw new IllegalArgumentException("expected at least one piece, found none");
    }
    Map<String, Integer> normal = new HashMap<>();
    Map<String, Integer> reserved = new HashMap<>();
    int unknown = -1;
    boolean[] bytes = new boolean[256];
    for (int id = 0; id < pieces.size(); id++) {
      Piece p = pieces.get(id);
      boolean isNormal = p.type() == PieceType.NORMAL || p.type() == PieceType.USER_DEFINED
          || p.type() == PieceType.UNUSED;
      Integer before = (isNormal ? normal : reserved).putIfAbsent(p.text(), id);
      if (before != null) {
        throw new IllegalArgumentException(
            "piece '" + p.text() + "' appears twice, as ids " + before + " and " + id);
      }
      if (p.type() == PieceType.UNKNOWN) {
        if (unknown >= 0) {
          throw new IllegalArgumentException(
              "expected one piece of type UNKNOWN, found ids " + unknown + " and " + id);
        }
        unknown = id;
      }
      boolean looksLikeByte = BYTE_PIECE.matcher(p.text()).matches();
      if (p.type() == PieceType.BYTE) {
        if (!byteFallback) {
          throw new IllegalArgumentException(
              "piece " + id + " '" + p.text() + "' is of type BYTE but byte_fallback is false");
        }
        if (!looksLikeByte) {
          throw new IllegalArgumentException(
              "piece " + id + " is of type BYTE, expected the form <0xNN>, found '" + p.text()
                  + "'");
        }
        bytes[Integer.parseInt(p.text().substring(3, 5), 16)] = true;
      } else if (byteFallback && looksLikeByte) {
        throw new IllegalArgumentException(
            "piece " + id + " '" + p.text() + "' has the form of a byte piece but type "
                + p.type() + " (not supported)");
      }
    }
    if (unknown < 0) {
      throw new IllegalArgumentException("expected one piece of type UNKNOWN, found none");
    }
    if (byteFallback) {
      for (int b = 0; b < 256; b++) {
        if (!bytes[b]) {
          throw new IllegalArgumentException(
              String.format(
                  "byte_fallback is true, so expected all 256 byte pieces, <0x%02X> is missing",
                  b));
        }
      }
    }
    if (precompiledCharsmap.length > 0) {
      try {
        PrecompiledCharsmap.parse(precompiledCharsmap);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "normalizer_spec.precompiled_charsmap is broken: " + e.getMessage(), e);
      }
    }
  }

  /**
   * Reads a sentencepiece {@code .model} file.
   *
   * @throws ConfigException when the file cannot be read, is not a serialized {@code
   *     sentencepiece.ModelProto}, or is one this reader does not support (not unigram, with
   *     denormalisation rules); the message names the file and what was wrong
   */
  public static SentencePieceModelFile read(Path modelFile) throws ConfigException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(modelFile);
    } catch (NoSuchFileException e) {
      throw new ConfigException(modelFile + ": sentencepiece model file not found", e);
    } catch (IOException e) {
      throw new ConfigException(modelFile + ": cannot read sentencepiece model: " + e, e);
    }
    return parse(bytes, modelFile.toString());
  }

  /**
   * Parses the bytes of a {@code .model} file; {@code source} names it in messages.
   *
   * @throws ConfigException as {@link #read} does
   */
  public static SentencePieceModelFile parse(byte[] bytes, String source) throws ConfigException {
    String prefix = source + ": not a valid sentencepiece model: ";
    if (bytes.length == 0) {
      throw new ConfigException(prefix + "the file is empty");
    }
    Parsed p = new Parsed();
    try {
      p.readModel(new ProtobufReader(bytes));
    } catch (ProtobufReader.FormatException e) {
      throw new ConfigException(
          prefix + e.getMessage() + "; expected the binary .model file sentencepiece writes"
              + kindHint(bytes), e);
    }
    if (p.pieces.isEmpty()) {
      throw new ConfigException(
          prefix + "expected pieces (ModelProto field 1), found none in " + bytes.length
              + " bytes");
    }
    if (p.modelType != 1) {
      throw new ConfigException(
          source + ": trainer_spec.model_type is " + modelTypeName(p.modelType)
              + ", but only UNIGRAM (1) models are supported");
    }
    if (p.denormalizerCharsmap != null && p.denormalizerCharsmap.length > 0) {
      throw new ConfigException(
          source + ": the model has denormalization rules (denormalizer_spec), which are not"
              + " supported");
    }
    try {
      return new SentencePieceModelFile(
          p.pieces, p.byteFallback, p.unkPiece, p.bosPiece, p.eosPiece, p.padPiece,
          p.unkSurface, p.addDummyPrefix, p.removeExtraWhitespaces, p.escapeWhitespaces,
          p.treatWhitespaceAsSuffix, p.precompiledCharsmap);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(prefix + e.getMessage(), e);
    }
  }

  /** What the bytes look like, for the message, when that is easy to tell. */
  private static String kindHint(byte[] bytes) {
    if (bytes.length >= 4 && (bytes[0] & 0xFF) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N'
        && bytes[3] == 'G') {
      return " (this is a PNG image)";
    }
    int i = 0;
    while (i < bytes.length && Character.isWhitespace(bytes[i])) {
      i++;
    }
    if (i < bytes.length && (bytes[i] == '{' || bytes[i] == '[')) {
      return " (this looks like JSON; TextTokenizers.load reads a tokenizer.json)";
    }
    return "";
  }

  private static String modelTypeName(int type) {
    return switch (type) {
      case 1 -> "UNIGRAM (1)";
      case 2 -> "BPE (2)";
      case 3 -> "WORD (3)";
      case 4 -> "CHAR (4)";
      default -> "unknown (" + type + ")";
    };
  }

  /** The fields of ModelProto, TrainerSpec and NormalizerSpec that tokenization uses. */
  private static final class Parsed {
    final List<Piece> pieces = new ArrayList<>();
    int modelType = 1;
    boolean byteFallback;
    String unkPiece;
    String bosPiece;
    String eosPiece;
    String padPiece;
    String unkSurface;
    boolean treatWhitespaceAsSuffix;
    boolean addDummyPrefix = true;
    boolean removeExtraWhitespaces = true;
    boolean escapeWhitespaces = true;
    byte[] precompiledCharsmap;
    byte[] denormalizerCharsmap;

    void readModel(ProtobufReader r) throws ProtobufReader.FormatException {
      while (r.hasNext()) {
        r.readTag();
        switch (r.fieldNumber()) {
          case 1 -> {
            r.expect(ProtobufReader.LENGTH_DELIMITED, "ModelProto.pieces");
            readPiece(r.readMessage());
          }
          case 2 -> {
            r.expect(ProtobufReader.LENGTH_DELIMITED, "ModelProto.trainer_spec");
            readTrainerSpec(r.readMessage());
          }
          case 3 -> {
            r.expect(ProtobufReader.LENGTH_DELIMITED, "ModelProto.normalizer_spec");
            readNormalizerSpec(r.readMessage(), false);
          }
          case 5 -> {
            r.expect(ProtobufReader.LENGTH_DELIMITED, "ModelProto.denormalizer_spec");
            readNormalizerSpec(r.readMessage(), true);
          }
          default -> r.skip();
        }
      }
    }

    private void readPiece(ProtobufReader r) throws ProtobufReader.FormatException {
      int id = pieces.size();
      String text = null;
      float score = 0f;
      int type = PieceType.NORMAL.number();
      while (r.hasNext()) {
        r.readTag();
        switch (r.fieldNumber()) {
          case 1 -> {
            r.expect(ProtobufReader.LENGTH_DELIMITED, "SentencePiece.piece");
            text = r.readString("piece " + id);
          }
          case 2 -> {
            r.expect(ProtobufReader.FIXED32, "SentencePiece.score");
            score = r.readFloat();
          }
          case 3 -> {
            r.expect(ProtobufReader.VARINT, "SentencePiece.type");
            type = r.readInt32();
          }
          default -> r.skip();
        }
      }
      PieceType t = PieceType.ofNumber(type);
      if (t == null) {
        throw new ProtobufReader.FormatException(
            "piece " + id + " has type " + type + ", expected 1 to 6");
      }
      if (text == null || text.isEmpty()) {
        throw new ProtobufReader.FormatException("piece " + id + " is empty");
      }
      if (!Float.isFinite(score)) {
        throw new ProtobufReader.FormatException(
            "piece " + id + " '" + text + "' has the score " + score + ", expected a finite one");
      }
      pieces.add(new Piece(text, score, t));
    }

    private void readTrainerSpec(ProtobufReader r) throws ProtobufReader.FormatException {
      while (r.hasNext()) {
        r.readTag();
        switch (r.fieldNumber()) {
          case 3 -> {
            r.expect(ProtobufReader.VARINT, "TrainerSpec.model_type");
            modelType = r.readInt32();
          }
          case 24 -> {
            r.expect(ProtobufReader.VARINT, "TrainerSpec.treat_whitespace_as_suffix");
            treatWhitespaceAsSuffix = r.readBool();
          }
          case 35 -> {
            r.expect(ProtobufReader.VARINT, "TrainerSpec.byte_fallback");
            byteFallback = r.readBool();
          }
          case 44 -> {
            r.expect(ProtobufReader.LENGTH_DELIMITED, "TrainerSpec.unk_surface");
            unkSurface = r.readString("trainer_spec.unk_surface");
          }
          case 45 -> {
            r.expect(ProtobufReader.LENGTH_DELIMITED, "TrainerSpec.unk_piece");
            unkPiece = r.readString("trainer_spec.unk_piece");
          }
          case 46 -> {
            r.expect(ProtobufReader.LENGTH_DELIMITED, "TrainerSpec.bos_piece");
            bosPiece = r.readString("trainer_spec.bos_piece");
          }
          case 47 -> {
            r.expect(ProtobufReader.LENGTH_DELIMITED, "TrainerSpec.eos_piece");
            eosPiece = r.readString("trainer_spec.eos_piece");
          }
          case 48 -> {
            r.expect(ProtobufReader.LENGTH_DELIMITED, "TrainerSpec.pad_piece");
            padPiece = r.readString("trainer_spec.pad_piece");
          }
          default -> r.skip();
        }
      }
    }

    private void readNormalizerSpec(ProtobufReader r, boolean denormalizer)
        throws ProtobufReader.FormatException {
      String spec = denormalizer ? "denormalizer_spec" : "normalizer_spec";
      while (r.hasNext()) {
        r.readTag();
        int field = r.fieldNumber();
        if (field == 2) {
          r.expect(ProtobufReader.LENGTH_DELIMITED, spec + ".precompiled_charsmap");
          byte[] charsmap = r.readBytes();
          if (denormalizer) {
            denormalizerCharsmap = charsmap;
          } else {
            precompiledCharsmap = charsmap;
          }
        } else if (!denormalizer && field >= 3 && field <= 5) {
          r.expect(ProtobufReader.VARINT, spec + " field " + field);
          boolean value = r.readBool();
          switch (field) {
            case 3 -> addDummyPrefix = value;
            case 4 -> removeExtraWhitespaces = value;
            default -> escapeWhitespaces = value;
          }
        } else {
          r.skip();
        }
      }
    }
  }

  /** The pieces; piece {@code i} has id {@code i}. */
  public List<Piece> pieces() {
    return pieces;
  }

  /** {@code trainer_spec.byte_fallback}: unknown characters encode as their UTF-8 bytes. */
  public boolean byteFallback() {
    return byteFallback;
  }

  /** {@code trainer_spec.unk_piece} (default {@value #DEFAULT_UNK_PIECE}). */
  public String unkPiece() {
    return unkPiece;
  }

  /** {@code trainer_spec.bos_piece} (default {@value #DEFAULT_BOS_PIECE}). */
  public String bosPiece() {
    return bosPiece;
  }

  /** {@code trainer_spec.eos_piece} (default {@value #DEFAULT_EOS_PIECE}). */
  public String eosPiece() {
    return eosPiece;
  }

  /** {@code trainer_spec.pad_piece} (default {@value #DEFAULT_PAD_PIECE}). */
  public String padPiece() {
    return padPiece;
  }

  /** {@code trainer_spec.unk_surface}: the text of the unknown piece when decoding. */
  public String unkSurface() {
    return unkSurface;
  }

  /** {@code trainer_spec.treat_whitespace_as_suffix}. */
  public boolean treatWhitespaceAsSuffix() {
    return treatWhitespaceAsSuffix;
  }

  /** {@code normalizer_spec.add_dummy_prefix}: a space goes before the text. */
  public boolean addDummyPrefix() {
    return addDummyPrefix;
  }

  /** {@code normalizer_spec.remove_extra_whitespaces}. */
  public boolean removeExtraWhitespaces() {
    return removeExtraWhitespaces;
  }

  /** {@code normalizer_spec.escape_whitespaces}: spaces become {@code ▁} (U+2581). */
  public boolean escapeWhitespaces() {
    return escapeWhitespaces;
  }

  /** A copy of {@code normalizer_spec.precompiled_charsmap}; empty for identity normalisation. */
  public byte[] precompiledCharsmap() {
    return precompiledCharsmap.clone();
  }

  boolean hasCharsmap() {
    return precompiledCharsmap.length > 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SentencePieceModelFile m
        && pieces.equals(m.pieces)
        && byteFallback == m.byteFallback
        && unkPiece.equals(m.unkPiece)
        && bosPiece.equals(m.bosPiece)
        && eosPiece.equals(m.eosPiece)
        && padPiece.equals(m.padPiece)
        && unkSurface.equals(m.unkSurface)
        && addDummyPrefix == m.addDummyPrefix
        && removeExtraWhitespaces == m.removeExtraWhitespaces
        && escapeWhitespaces == m.escapeWhitespaces
        && treatWhitespaceAsSuffix == m.treatWhitespaceAsSuffix
        && Arrays.equals(precompiledCharsmap, m.precompiledCharsmap);
  }

  @Override
  public int hashCode() {
    return Objects.hash(pieces, byteFallback, unkPiece, bosPiece, eosPiece, padPiece, unkSurface,
        addDummyPrefix, removeExtraWhitespaces, escapeWhitespaces, treatWhitespaceAsSuffix,
        Arrays.hashCode(precompiledCharsmap));
  }

  @Override
  public String toString() {
    return "SentencePieceModelFile[" + pieces.size() + " pieces"
        + (byteFallback ? ", byte fallback" : "")
        + (precompiledCharsmap.length > 0 ? ", charsmap " + precompiledCharsmap.length + " bytes"
            : ", identity normalization")
        + "]";
  }
}
