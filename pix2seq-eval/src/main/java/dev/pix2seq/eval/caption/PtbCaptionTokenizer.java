package dev.pix2seq.eval.caption;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The COCO caption toolkit's tokenisation, in Java. The toolkit ({@code PTBTokenizer} in
 * coco-caption / pycocoevalcap) replaces newlines in each caption by spaces, runs Stanford
 * CoreNLP 3.4.1's {@code edu.stanford.nlp.process.PTBTokenizer -preserveLines -lowerCase} over
 * the captions, and drops every token that is in its {@code PUNCTUATIONS} list
 * ({@link #TOOLKIT_PUNCTUATION}). This class does the same three steps: PTB tokens
 * ({@link #ptbTokens}), lower-casing with {@link Locale#ENGLISH}, and the same filter.
 *
 * <pre>{@code
 * new PtbCaptionTokenizer().tokenize("A man's grey (old) dog, can't swim!!")
 *   -> [a, man, 's, gray, -lrb-, old, -rrb-, dog, ca, n't, swim, !!]
 * }</pre>
 *
 * <p><b>What it reproduces</b> (the PTB 3 escaping defaults of that CoreNLP version):
 * <ul>
 *   <li>Punctuation split off words: {@code . , ; : ? ! ...}, quotes of every kind (as
 *       {@code `` '' ` '}), dashes ({@code --}); all of these are then dropped by the filter.
 *       A run of {@code ?} and {@code !} is one token, so {@code "!!"} and {@code "?!"} are
 *       kept (only a single {@code ?} or {@code !} is in the list). Three or more dots are one
 *       {@code ...} token; 3 or 4 hyphens become {@code --}.</li>
 *   <li>Brackets become {@code -LRB- -RRB- -LSB- -RSB- -LCB- -RCB-}. Since the toolkit
 *       lower-cases <i>before</i> filtering and its list holds the upper-case forms, these
 *       survive as {@code -lrb-}, {@code -rrb-}, ...: a toolkit quirk kept on purpose.</li>
 *   <li>Clitics: {@code 's 'm 'd 're 've 'll} and {@code n't} are split off
 *       ({@code can't} -> {@code ca n't}, {@code dog's} -> {@code dog 's}); {@code cannot} ->
 *       {@code can not}; {@code o'clock}, {@code O'Brien}, {@code y'all}, {@code '90s},
 *       {@code 'n'} stay whole.</li>
 *   <li>Words keep inner hyphens ({@code black-and-white}), inner periods ({@code u.s},
 *       {@code www.x.com}) and slashes, which are escaped ({@code and/or} -> {@code and\/or});
 *       {@code *} becomes {@code \*}. Numbers keep {@code . , :} between digits
 *       ({@code 1,000}, {@code 3.5}, {@code 12:30}) and a leading sign ({@code -5}).</li>
 *   <li>Acronyms and common abbreviations keep their final period ({@code u.s.},
 *       {@code p.m.}, {@code mr.}, {@code st.}, {@code etc.}), as does a single letter before a
 *       period ({@code "plan b."} -> {@code b.}); other periods are split off.</li>
 *   <li>British spellings of plain words are Americanised before lower-casing, case
 *       sensitively ({@code grey} -> {@code gray}, {@code colour} -> {@code color}, but
 *       {@code Grey} -> {@code grey}); see {@link BritishSpellings}.</li>
 *   <li>{@code &amp;}, {@code &lt;}, {@code &gt;} become {@code & < >}; other symbols are one
 *       token each; characters outside the Basic Multilingual Plane (emoji) and control
 *       characters are deleted, as the toolkit's tokenizer deletes what it cannot tokenize.</li>
 * </ul>
 *
 * <p><b>Limits.</b> It is a hand-written scanner for ordinary English captions, not a port of
 * the 3.4.1 lexer (a large JFlex grammar), so rare constructs may tokenise differently: the
 * abbreviation lists are a common subset (no {@code No.}/{@code fig.} before numbers, no
 * sentence-boundary guessing after an abbreviation followed by a capitalised word), URLs and
 * e-mail addresses are split at {@code @}, {@code :} and {@code /} boundaries the lexer would
 * keep, fractions written with a space ({@code 5 7/8}), phone numbers, smileys and currency
 * symbols other than {@code $} are not normalised, and the set of characters the lexer could
 * not tokenize differs. Characters that Stanford treats as line breaks (a lone {@code \r},
 * U+2028) shift the toolkit's caption-to-line alignment; here they are plain whitespace.
 * Plain lower-case, space-separated captions (the usual model output) tokenise exactly as
 * {@code caption.split()}.
 *
 * <p>Immutable and thread safe.
 */
public final class PtbCaptionTokenizer implements CaptionTokenizer {

  /** The toolkit's {@code PUNCTUATIONS} list, compared with tokens after lower-casing. */
  public static final List<String> TOOLKIT_PUNCTUATION = List.of(
      "''", "'", "``", "`", "-LRB-", "-RRB-", "-LCB-", "-RCB-",
      ".", "?", "!", ",", ":", "-", "--", "...", ";");

  private static final Set<String> DROPPED = Set.copyOf(TOOLKIT_PUNCTUATION);

  /** Abbreviations (compared ignoring case) that keep their final period. */
  private static final Set<String> ABBREVIATIONS = Set.of(
      // months and days
      "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
      "mon", "tue", "tues", "wed", "thu", "thurs", "fri",
      // states
      "ala", "ariz", "calif", "colo", "conn", "ct", "dak", "fla", "ga", "ind", "kan", "kans",
      "ky", "md", "mich", "minn", "mo", "mont", "neb", "nev", "okla", "penn", "tenn", "va",
      "vt", "wis", "wisc", "wyo",
      // companies, numbers, personal suffixes, various
      "inc", "co", "cos", "corp", "pty", "ltd", "plc", "bancorp", "dept", "bhd", "assn",
      "univ", "intl", "sys", "tel", "est", "ext", "sq", "jr", "sr", "bros", "esq", "etc", "al",
      "seq", "bldg", "pls", "wrt", "orig", "incl", "vs",
      // titles and places
      "mr", "mrs", "ms", "dr", "drs", "prof", "profs", "sen", "sens", "rep", "reps", "atty",
      "attys", "lt", "col", "gen", "messrs", "gov", "govs", "adm", "rev", "maj", "sgt", "cpl",
      "pvt", "capt", "st", "ste", "ave", "pres", "lieut", "hon", "brig", "cmdr", "comdr", "pfc",
      "spc", "supt", "supts", "det", "mt", "ft", "invt", "elec", "natl", "mfg", "mtg", "blvd",
      "rd", "viz");

  /** Abbreviations that need a capital first letter (the rest compared ignoring case). */
  private static final Set<String> CAPITALISED_ABBREVIATIONS = Set.of(
      "az", "ark", "del", "ill", "mass", "miss", "ore", "tex", "wash");

  /** Abbreviations matched exactly. */
  private static final Set<String> EXACT_ABBREVIATIONS = Set.of("La", "Pa", "Pl");

  /** Bracket tokens as the PTB writes them; kept whole when met in already tokenised text. */
  private static final List<String> BRACKET_TOKENS =
      List.of("-LRB-", "-RRB-", "-LSB-", "-RSB-", "-LCB-", "-RCB-");

  /** Creates the tokenizer (it has no state). */
  public PtbCaptionTokenizer() {}

  /**
   * Tokenises a caption as the toolkit does: PTB tokens, lower-cased, punctuation dropped.
   */
  @Override
  public List<String> tokenize(String caption) {
    Objects.requireNonNull(caption, "caption");
    List<String> tokens = new ArrayList<>();
    for (String t : ptbTokens(caption)) {
      String lower = t.toLowerCase(Locale.ENGLISH);
      if (!DROPPED.contains(lower)) {
        tokens.add(lower);
      }
    }
    return List.copyOf(tokens);
  }

  /**
   * The PTB tokens of a text before lower-casing and filtering (original case, brackets as
   * {@code -LRB-}, quotes as {@code `` ''}, British spellings already respelled).
   *
   * @throws NullPointerException if {@code text} is null
   */
  public List<String> ptbTokens(String text) {
    Objects.requireNonNull(text, "text");
    return List.copyOf(new Scan(text.replace('\n', ' ')).run());
  }

  @Override
  public String toString() {
    return "PtbCaptionTokenizer";
  }

  private static boolean isApostrophe(int c) {
    return c == '\'' || c == '\u2019' || c == '\u2018' || c == '`' || c == '\u00B4'
        || c == '\u201B' || c == '\u0091' || c == '\u0092';
  }

  private static boolean isDoubleQuote(int c) {
    return c == '"' || (c >= '\u201A' && c <= '\u201F' && c != '\u201B') || c == '\u00AB'
        || c == '\u00BB' || c == '\u2039' || c == '\u203A' || c == '\u0093' || c == '\u0094';
  }

  private static boolean isJoiningHyphen(int c) {
    return c == '-' || c == '_' || c == '\u2010' || c == '\u2011';
  }

  private static boolean isDash(int c) {
    return (c >= '\u2012' && c <= '\u2015') || c == '\u0096' || c == '\u0097';
  }

  private static boolean isIgnorable(int c) {
    return c == '\u0000' || c == '\u0008' || c == '\u007F' || c == '\u200B' || c == '\u200E'
        || c == '\u200F' || c == '\uFEFF';
  }

  private static boolean isWordPart(int c) {
    if (Character.isLetterOrDigit(c) || c == '\u00AD' || c == '\u200C' || c == '\u200D') {
      return true;
    }
    int type = Character.getType(c);
    return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK;
  }

  /** A symbol the lexer keeps as a token of its own (BMP symbols and punctuation). */
  private static boolean isKeptSymbol(int c) {
    if (c > 0xFFFF) {
      return false;
    }
    return switch (Character.getType(c)) {
      case Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL,
          Character.OTHER_SYMBOL, Character.OTHER_PUNCTUATION, Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION -> true;
      default -> false;
    };
  }

  /** Single letters joined by periods: {@code a}, {@code u.s}, {@code e.g}. */
  private static boolean isAcronym(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean letterPlace = i % 2 == 0;
      if (letterPlace ? !isAsciiLetter(c) : c != '.') {
        return false;
      }
    }
    return s.length() % 2 == 1;
  }

  private static boolean isAbbreviation(String s) {
    if (EXACT_ABBREVIATIONS.contains(s)) {
      return true;
    }
    String lower = s.toLowerCase(Locale.ROOT);
    if (ABBREVIATIONS.contains(lower)) {
      return true;
    }
    return CAPITALISED_ABBREVIATIONS.contains(lower) && Character.isUpperCase(s.charAt(0));
  }

  private static boolean isAsciiLetter(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isAsciiLetters(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      if (!isAsciiLetter(s.charAt(i))) {
        return false;
      }
    }
    return s.length() > 0;
  }

  private static boolean isUpperAsciiLetters(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 'A' || c > 'Z') {
        return false;
      }
    }
    return s.length() > 0;
  }

  private static String removeSoftHyphens(String s) {
    return s.indexOf('\u00AD') < 0 ? s : s.replace("\u00AD", "");
  }

  /** One pass over one text. */
  private static final class Scan {
    private final String s;
    private final int n;
    private final List<String> out = new ArrayList<>();
    private int pos;

    Scan(String s) {
      this.s = s;
      this.n = s.length();
    }

    /** The code point at {@code i}, or -1 past the end. */
    private int at(int i) {
      return i < n ? s.codePointAt(i) : -1;
    }

    List<String> run() {
      while (pos < n) {
        int c = s.codePointAt(pos);
        if (WhitespaceCaptionTokenizer.isPythonSpace(c) || isIgnorable(c)) {
          pos += Character.charCount(c);
        } else if (Character.isLetter(c)) {
          word();
        } else if (Character.isDigit(c)) {
          number();
        } else {
          symbol(c);
        }
      }
      return out;
    }

    private void readWordPart(StringBuilder tok) {
      while (pos < n) {
        int c = s.codePointAt(pos);
        if (!isWordPart(c)) {
          return;
        }
        tok.appendCodePoint(c);
        pos += Character.charCount(c);
      }
    }

    private void readDigits(StringBuilder tok) {
      while (pos < n && Character.isDigit(at(pos))) {
        int c = s.codePointAt(pos);
        tok.appendCodePoint(c);
        pos += Character.charCount(c);
      }
    }

    /** Digits with {@code . , :} between digit groups; whether a separator was read. */
    private boolean readNumberPart(StringBuilder tok) {
      readDigits(tok);
      boolean separated = false;
      while (pos < n && (s.charAt(pos) == '.' || s.charAt(pos) == ',' || s.charAt(pos) == ':')
          && Character.isDigit(at(pos + 1))) {
        tok.append(s.charAt(pos));
        pos++;
        readDigits(tok);
        separated = true;
      }
      return separated;
    }

    private void word() {
      int start = pos;
      StringBuilder tok = new StringBuilder();
      readWordPart(tok);
      if (tok.toString().equalsIgnoreCase("cannot")) {
        out.add(s.substring(start, start + 3));
        out.add(s.substring(start + 3, pos));
        return;
      }
      thing(tok, true);
    }

    private void number() {
      StringBuilder tok = new StringBuilder();
      char first = s.charAt(pos);
      if (first == '-' || first == '+') {
        tok.append(first);
        pos++;
      }
      boolean separated = readNumberPart(tok);
      if (!separated && Character.isLetter(at(pos))) {
        readWordPart(tok);
      }
      thing(tok, false);
    }

    /**
     * Extends a token whose first part is read (joined by hyphens, slashes, inner periods,
     * ampersands between capitals, name apostrophes), then takes a final abbreviation period
     * or splits a clitic, and emits it.
     *
     * @param plainWord whether the token began with a letter (a PTB "WORD": respelled and
     *     eligible for the abbreviation and clitic rules)
     */
    private void thing(StringBuilder tok, boolean plainWord) {
      boolean word = plainWord;
      while (pos < n) {
        int c = s.charAt(pos);
        int next = at(pos + 1);
        if (word && (c == '.' || c == '!' || c == '?') && Character.isLetter(next)) {
          tok.append((char) c);
          pos++;
          readWordPart(tok);
        } else if (isJoiningHyphen(c) && Character.isLetterOrDigit(next)) {
          tok.append((char) c);
          pos++;
          if (!Character.isDigit(next) || !readNumberPart(tok)) {
            readWordPart(tok);
          }
          word = false;
        } else if (c == '/' && Character.isLetterOrDigit(next)) {
          tok.append("\\/");
          pos++;
          readWordPart(tok);
          word = false;
        } else if (c == '\\' && next == '/' && Character.isLetterOrDigit(at(pos + 2))) {
          tok.append("\\/");
          pos += 2;
          readWordPart(tok);
          word = false;
        } else if (c == '&' && isUpperAsciiLetters(tok) && next >= 'A' && next <= 'Z') {
          tok.append('&');
          pos++;
          readWordPart(tok);
          word = false;
        } else if (isApostrophe(c) && !splitsAtApostrophe(tok, word)
            && joinsAcrossApostrophe(tok, next)) {
          tok.append('\'');
          pos++;
          readWordPart(tok);
          word = false;
        } else {
          break;
        }
      }
      String core = removeSoftHyphens(tok.toString());
      int c = at(pos);
      if (c == '.' && word
          && (isAcronym(core) || isAbbreviation(core) || ",;:".indexOf(at(pos + 1)) >= 0)) {
        out.add(core + ".");
        pos++;
        return;
      }
      if (isApostrophe(c)) {
        if (word && isNegation(core)) {
          int len = core.length();
          if (len > 1) {
            out.add(core.substring(0, len - 1));
          }
          out.add(core.charAt(len - 1) + "'" + s.charAt(pos + 1));
          pos += 2;
          return;
        }
        String clitic = cliticAt(pos);
        if (clitic != null) {
          out.add(word ? BritishSpellings.americanize(core) : core);
          out.add(clitic);
          pos += clitic.length();
          return;
        }
      }
      out.add(word ? BritishSpellings.americanize(core) : core);
    }

    /**
     * Whether the word before the apostrophe at {@code pos} ends a negation: an ASCII word
     * ending in a single {@code n} followed by {@code 't} and no letter ({@code do|n't},
     * {@code ca|n't}), or a lone {@code n't}.
     */
    private boolean isNegation(String core) {
      int t = at(pos + 1);
      if ((t != 't' && t != 'T') || Character.isLetter(at(pos + 2)) || !isAsciiLetters(core)) {
        return false;
      }
      int len = core.length();
      char last = core.charAt(len - 1);
      if (last != 'n' && last != 'N') {
        return false;
      }
      return len == 1 || (core.charAt(len - 2) != 'n' && core.charAt(len - 2) != 'N');
    }

    /** Whether the apostrophe at {@code pos} starts a clitic or negation to split off. */
    private boolean splitsAtApostrophe(StringBuilder tok, boolean word) {
      return cliticAt(pos) != null || (word && isNegation(removeSoftHyphens(tok.toString())));
    }

    /**
     * Whether an apostrophe at {@code pos} belongs inside the token: {@code d'}, {@code l'},
     * {@code o'} before a letter or digit ({@code o'clock}); a capital or {@code n} before two
     * letters ({@code D'Souza}); a vowel-final word before a vowel or capital
     * ({@code y'all}, {@code Hawai'i}).
     */
    private boolean joinsAcrossApostrophe(StringBuilder tok, int next) {
      if (!Character.isLetterOrDigit(next)) {
        return false;
      }
      if (tok.length() == 1 && "dDoOlL".indexOf(tok.charAt(0)) >= 0) {
        return true;
      }
      if (!isAsciiLetters(tok) || !Character.isLetter(next)) {
        return false;
      }
      char only = tok.charAt(0);
      if (tok.length() == 1 && ((only >= 'A' && only <= 'Z' && only != 'I' && only != 'Y')
          || only == 'n') && Character.isLetter(at(pos + 2))) {
        return true;
      }
      char last = tok.charAt(tok.length() - 1);
      return "aeiouyAEIOUY".indexOf(last) >= 0
          && ("aeiou".indexOf(next) >= 0 || (next >= 'A' && next <= 'Z'));
    }

    /**
     * The clitic starting with the apostrophe at {@code p} ({@code 's 'm 'd 're 've 'll},
     * not followed by a letter or digit), with a plain apostrophe; null if there is none.
     */
    private String cliticAt(int p) {
      for (String suffix : new String[] {"re", "ve", "ll", "s", "m", "d"}) {
        int end = p + 1 + suffix.length();
        if (end <= n && s.regionMatches(true, p + 1, suffix, 0, suffix.length())
            && !Character.isLetterOrDigit(at(end))) {
          return "'" + s.substring(p + 1, end);
        }
      }
      return null;
    }

    /** A whole word starting with an apostrophe: {@code 'em 'til 'till 'cause 'n 'n' '90s}. */
    private String apostropheWordAt(int p) {
      for (String w : new String[] {"cause", "till", "til", "em", "n"}) {
        int end = p + 1 + w.length();
        if (end <= n && s.regionMatches(true, p + 1, w, 0, w.length())
            && !Character.isLetterOrDigit(at(end))) {
          if (w.equals("n") && isApostrophe(at(end)) && !Character.isLetterOrDigit(at(end + 1))) {
            end++;
          }
          return "'" + s.substring(p + 1, end).replaceAll("[^\\p{Alnum}]", "'");
        }
      }
      int d = at(p + 1);
      if (d >= '2' && d <= '9' && at(p + 2) == '0' && (at(p + 3) == 's' || at(p + 3) == 'S')
          && !Character.isLetterOrDigit(at(p + 4))) {
        return "'" + s.substring(p + 1, p + 4);
      }
      return null;
    }

    private void symbol(int c) {
      if (isApostrophe(c)) {
        String clitic = cliticAt(pos);
        String whole = clitic != null ? clitic : apostropheWordAt(pos);
        if (whole != null) {
          out.add(whole);
          pos += whole.length();
        } else {
          quote();
        }
        return;
      }
      if (isDoubleQuote(c)) {
        quote();
        return;
      }
      switch (c) {
        case '(' -> single("-LRB-");
        case ')' -> single("-RRB-");
        case '[' -> single("-LSB-");
        case ']' -> single("-RSB-");
        case '{' -> single("-LCB-");
        case '}' -> single("-RCB-");
        case '.' -> period();
        case '\u2026' -> single("...");
        case ',', ';', ':' -> single(String.valueOf((char) c));
        case '?', '!' -> run("?!");
        case '-', '\u2010', '\u2011' -> hyphen();
        case '+' -> {
          if (Character.isDigit(at(pos + 1))) {
            number();
          } else {
            single("+");
          }
        }
        case '*' -> {
          int start = pos;
          while (pos < n && s.charAt(pos) == '*') {
            pos++;
          }
          out.add("\\*".repeat(pos - start));
        }
        case '/' -> single("\\/");
        case '\\' -> {
          int next = at(pos + 1);
          if (next == '/' || next == '*') {
            out.add("\\" + (char) next);
            pos += 2;
          } else {
            single("\\");
          }
        }
        case '=' -> run("=");
        case '@' -> run("@");
        case '#' -> run("#");
        case '_' -> run("_");
        case '&' -> ampersand();
        default -> {
          if (isDash(c)) {
            single("--");
          } else if (isKeptSymbol(c)) {
            single(new String(Character.toChars(c)));
          } else {
            pos += Character.charCount(c); // not tokenizable: deleted
          }
        }
      }
    }

    private void single(String token) {
      out.add(token);
      pos += Character.charCount(s.codePointAt(pos));
    }

    /** A run of the given characters as one token. */
    private void run(String chars) {
      int start = pos;
      while (pos < n && chars.indexOf(s.charAt(pos)) >= 0) {
        pos++;
      }
      out.add(s.substring(start, pos));
    }

    /** One or two quote characters: {@code ``} / {@code `} before a word, else {@code ''} / '. */
    private void quote() {
      boolean isDouble = isDoubleQuote(at(pos));
      pos++;
      if (!isDouble && isApostrophe(at(pos))) {
        isDouble = true;
        pos++;
      }
      boolean opening = Character.isLetterOrDigit(at(pos));
      out.add(isDouble ? (opening ? "``" : "''") : (opening ? "`" : "'"));
    }

    private void period() {
      if (Character.isDigit(at(pos + 1))) {
        number();
        return;
      }
      if (at(pos + 1) == '.' && at(pos + 2) == '.') {
        while (pos < n && s.charAt(pos) == '.') {
          pos++;
        }
        out.add("...");
        return;
      }
      single(".");
    }

    private void hyphen() {
      for (String bracket : BRACKET_TOKENS) {
        if (s.regionMatches(true, pos, bracket, 0, bracket.length())) {
          out.add(s.substring(pos, pos + bracket.length()));
          pos += bracket.length();
          return;
        }
      }
      if (Character.isDigit(at(pos + 1))) {
        number();
        return;
      }
      int start = pos;
      while (pos < n && isJoiningHyphen(s.charAt(pos)) && s.charAt(pos) != '_') {
        pos++;
      }
      int length = pos - start;
      out.add(length == 1 ? "-" : length <= 4 ? "--" : s.substring(start, pos));
    }

    private void ampersand() {
      String[][] entities = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}};
      for (String[] e : entities) {
        if (s.regionMatches(true, pos, e[0], 0, e[0].length())) {
          out.add(e[1]);
          pos += e[0].length();
          return;
        }
      }
      if (s.regionMatches(true, pos, "&quot;", 0, 6)) {
        pos += 6;
        out.add(Character.isLetterOrDigit(at(pos)) ? "``" : "''");
        return;
      }
      if (s.regionMatches(true, pos, "&nbsp;", 0, 6)) {
        pos += 6;
        return;
      }
      single("&");
    }
  }
}
