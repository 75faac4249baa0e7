package dev.pix2seq.eval.caption;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The British-to-American respelling that the toolkit's tokenizer (Stanford CoreNLP 3.4.1's
 * PTBTokenizer, option {@code americanize}, on by default) applies to plain words before they
 * are lower-cased: a fixed word list, then five suffix rules. It is case sensitive: "grey"
 * becomes "gray" but "Grey" stays (and is then lower-cased to "grey"), exactly as the toolkit
 * does. Words shorter than 4 characters are never changed, and the rules only touch words of 6
 * or more. The month and day capitalisation of the original has no visible effect after
 * lower-casing and is left out.
 */
final class BritishSpellings {
  private static final int MIN_LENGTH_CHANGED = 4;
  private static final int MIN_LENGTH_RULES = 6;

  /** British form, American form. */
  private static final String[][] WORDS = {
    {"anaesthetic", "anesthetic"}, {"analogue", "analog"}, {"analogues", "analogs"},
    {"analyse", "analyze"}, {"analysed", "analyzed"}, {"analysing", "analyzing"},
    {"armoured", "armored"}, {"cancelled", "canceled"}, {"cancelling", "canceling"},
    {"candour", "candor"}, {"capitalise", "capitalize"}, {"capitalised", "capitalized"},
    {"capitalisation", "capitalization"}, {"centre", "center"}, {"chimaeric", "chimeric"},
    {"clamour", "clamor"}, {"coloured", "colored"}, {"colouring", "coloring"},
    {"colourful", "colorful"}, {"defence", "defense"}, {"Defence", "Defense"},
    {"discolour", "discolor"}, {"discolours", "discolors"}, {"discoloured", "discolored"},
    {"discolouring", "discoloring"}, {"encyclopaedia", "encyclopedia"},
    {"endeavour", "endeavor"}, {"endeavours", "endeavors"}, {"endeavoured", "endeavored"},
    {"endeavouring", "endeavoring"}, {"fervour", "fervor"}, {"favour", "favor"},
    {"favours", "favors"}, {"favoured", "favored"}, {"favouring", "favoring"},
    {"favourite", "favorite"}, {"favourites", "favorites"}, {"fibre", "fiber"},
    {"fibres", "fibers"}, {"finalise", "finalize"}, {"finalised", "finalized"},
    {"finalising", "finalizing"}, {"flavour", "flavor"}, {"flavours", "flavors"},
    {"flavoured", "flavored"}, {"flavouring", "flavoring"}, {"glamour", "glamour"},
    {"grey", "gray"}, {"harbour", "harbor"}, {"harbours", "harbors"},
    {"homologue", "homolog"}, {"homologues", "homologs"}, {"honour", "honor"},
    {"honours", "honors"}, {"honoured", "honored"}, {"honouring", "honoring"},
    {"honourable", "honorable"}, {"humour", "humor"}, {"humours", "humors"},
    {"humoured", "humored"}, {"humouring", "humoring"}, {"kerb", "curb"},
    {"labelled", "labeled"}, {"labelling", "labeling"}, {"labour", "labor"},
    {"Labour", "Labor"}, {"labours", "labors"}, {"laboured", "labored"},
    {"labouring", "laboring"}, {"leant", "leaned"}, {"learnt", "learned"},
    {"localise", "localize"}, {"localised", "localized"}, {"manoeuvre", "maneuver"},
    {"manoeuvres", "maneuvers"}, {"maximise", "maximize"}, {"maximised", "maximized"},
    {"maximising", "maximizing"}, {"meagre", "meager"}, {"minimise", "minimize"},
    {"minimised", "minimized"}, {"minimising", "minimizing"}, {"modernise", "modernize"},
    {"modernised", "modernized"}, {"modernising", "modernizing"},
    {"misdemeanour", "misdemeanor"}, {"misdemeanours", "misdemeanors"},
    {"neighbour", "neighbor"}, {"neighbours", "neighbors"},
    {"neighbourhood", "neighborhood"}, {"neighbourhoods", "neighborhoods"},
    {"oestrogen", "estrogen"}, {"oestrogens", "estrogens"}, {"organisation", "organization"},
    {"organisations", "organizations"}, {"penalise", "penalize"}, {"penalised", "penalized"},
    {"popularise", "popularize"}, {"popularised", "popularized"},
    {"popularises", "popularizes"}, {"popularising", "popularizing"},
    {"practise", "practice"}, {"practised", "practiced"}, {"pressurise", "pressurize"},
    {"pressurised", "pressurized"}, {"pressurises", "pressurizes"},
    {"pressurising", "pressurizing"}, {"realise", "realize"}, {"realised", "realized"},
    {"realising", "realizing"}, {"realises", "realizes"}, {"recognise", "recognize"},
    {"recognised", "recognized"}, {"recognising", "recognizing"},
    {"recognises", "recognizes"}, {"rumoured", "rumored"}, {"rumouring", "rumoring"},
    {"savour", "savor"}, {"savours", "savors"}, {"savoured", "savored"},
    {"savouring", "savoring"}, {"splendour", "splendor"}, {"splendours", "splendors"},
    {"theatre", "theater"}, {"theatres", "theaters"}, {"titre", "titer"},
    {"titres", "titers"}, {"travelled", "traveled"}, {"travelling", "traveling"},
  };

  /** A suffix rule: the first rule whose pattern is found (and no exception is) applies. */
  private record Rule(Pattern pattern, String replacement, Pattern exception) {}

  private static final List<String> OUR_EXCEPTIONS = List.of(
      "abatjour", "beflour", "bonjour", "calambour", "carrefour", "cornflour", "contour",
      "de[tv]our", "dortour", "dyvour", "downpour", "giaour", "glamour", "holour", "inpour",
      "outpour", "pandour", "paramour", "pompadour", "recontour", "repour", "ryeflour",
      "sompnour", "tambour", "troubadour", "tregetour", "velour");

  private static final List<Rule> RULES = List.of(
      new Rule(Pattern.compile("haem(at)?o"), "hem$1o", null),
      new Rule(Pattern.compile("aemia$"), "emia", null),
      new Rule(Pattern.compile("([lL])eukaem"), "$1eukem", null),
      new Rule(Pattern.compile("programme(s?)$"), "program$1", null),
      new Rule(Pattern.compile("^([a-z]{3,})our(s?)$"), "$1or$2",
          Pattern.compile(String.join("|", OUR_EXCEPTIONS))));

  private static final Map<String, String> WORD_MAP = wordMap();

  private BritishSpellings() {}

  private static Map<String, String> wordMap() {
    Map<String, String> m = new HashMap<>();
    for (String[] pair : WORDS) {
      m.put(pair[0], pair[1]);
    }
    return Map.copyOf(m);
  }

  /** The American spelling of a word, or the word itself. */
  static String americanize(String word) {
    int length = word.length();
    if (length < MIN_LENGTH_CHANGED) {
      return word;
    }
    String mapped = WORD_MAP.get(word);
    if (mapped != null) {
      return mapped;
    }
    if (length < MIN_LENGTH_RULES) {
      return word;
    }
    for (Rule rule : RULES) {
      Matcher m = rule.pattern().matcher(word);
      if (m.find()) {
        if (rule.exception() != null && rule.exception().matcher(word).find()) {
          continue;
        }
        return m.replaceAll(rule.replacement());
      }
    }
    return word;
  }
}
