package dev.pix2seq.api.vocab;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where each kind of token lives in the unified vocabulary. A value saved with every checkpoint
 * (as JSON), never a set of constants; the default is read from {@code vocab-layout.json} in
 * pix2seq-tokenizer.
 *
 * <pre>
 *   pad, eos                    special tokens
 *   taskTokens                  task prompt ids by task name, all inside [taskBase, taskBase+taskSlots)
 *   fake, sep, invisible        noise-object class / input dropout, polygon separator, unlabeled keypoint
 *   [classBase, classBase+maxClasses)   class tokens
 *   [coordBase, coordBase+coordBins)    coordinate bins
 *   [textBase, ...)             text tokens of the caption tokenizer
 * </pre>
 *
 * @param version layout format version (currently 1)
 * @param pad padding token
 * @param eos end of sequence
 * @param taskBase first id reserved for task prompts
 * @param taskSlots number of ids reserved for task prompts
 * @param taskTokens prompt id of each task by name; copied into a sorted map
 * @param fake class of noise objects and the input-dropout token
 * @param sep separator between polygons of one instance
 * @param invisible coordinate token of an unlabeled keypoint
 * @param classBase first class token
 * @param maxClasses number of class token ids reserved
 * @param coordBase first coordinate bin token
 * @param coordBins number of coordinate bins
 * @param textBase first text token
 */
public record VocabLayout(
    int version,
    int pad,
    int eos,
    int taskBase,
    int taskSlots,
    Map<String, Integer> taskTokens,
    int fake,
    int sep,
    int invisible,
    int classBase,
    int maxClasses,
    int coordBase,
    int coordBins,
    int textBase) {

  /** The layout format this code reads and writes. */
  public static final int CURRENT_VERSION = 1;

  public VocabLayout {
    if (version != CURRENT_VERSION) {
      throw new IllegalArgumentException(
          "vocab layout version must be " + CURRENT_VERSION + ", found " + version);
    }
    taskTokens = taskTokens == null ? Map.of() : new TreeMap<>(taskTokens);
    for (Map.Entry<String, Integer> e : taskTokens.entrySet()) {
      int t = e.getValue();
      if (t < taskBase || t >= taskBase + taskSlots) {
        throw new IllegalArgumentException(
            "task token of '" + e.getKey() + "' must be in [" + taskBase + ", "
                + (taskBase + taskSlots) + "), found " + t);
      }
    }
    if (taskTokens.values().stream().distinct().count() != taskTokens.size()) {
      throw new IllegalArgumentException("task tokens must be distinct, found " + taskTokens);
    }
    if (coordBins < 2) {
      throw new IllegalArgumentException("coordBins must be >= 2, found " + coordBins);
    }
    if (maxClasses < 1) {
      throw new IllegalArgumentException("maxClasses must be >= 1, found " + maxClasses);
    }
    checkDisjoint("taskBase", taskBase, taskSlots, "classBase", classBase, maxClasses);
    checkDisjoint("classBase", classBase, maxClasses, "coordBase", coordBase, coordBins);
    checkDisjoint("taskBase", taskBase, taskSlots, "coordBase", coordBase, coordBins);
    int[] specials = {pad, eos, fake, sep, invisible};
    String[] specialNames = {"pad", "eos", "fake", "sep", "invisible"};
    for (int i = 0; i < specials.length; i++) {
      if (specials[i] < 0) {
        throw new IllegalArgumentException(
            "special token " + specialNames[i] + " must be >= 0, found " + specials[i]);
      }
      for (int j = 0; j < i; j++) {
        if (specials[i] == specials[j]) {
          throw new IllegalArgumentException(
              "special tokens " + specialNames[j] + " and " + specialNames[i]
                  + " must differ, found " + specials[i] + " for both");
        }
      }
    }
    for (int special : specials) {
      if (special >= taskBase && special < taskBase + taskSlots
          || special >= classBase && special < classBase + maxClasses
          || special >= coordBase && special < coordBase + coordBins
          || special >= textBase) {
        throw new IllegalArgumentException(
            "special token " + special + " overlaps a task, class, coordinate or text range");
      }
    }
    if (textBase < coordBase + coordBins || textBase < classBase + maxClasses
        || textBase < taskBase + taskSlots) {
      throw new IllegalArgumentException(
          "textBase must come after the task, class and coordinate ranges, found " + textBase);
    }
  }

  private static void checkDisjoint(
      String aName, int a, int aLen, String bName, int b, int bLen) {
    if (a < b + bLen && b < a + aLen) {
      throw new IllegalArgumentException(
          "ranges " + aName + " [" + a + ", " + (a + aLen) + ") and " + bName + " [" + b + ", "
              + (b + bLen) + ") overlap");
    }
  }

  /** The prompt token of a task. */
  public int taskToken(String task) {
    Integer t = taskTokens.get(task);
    if (t == null) {
      throw new IllegalArgumentException(
          "no task token for '" + task + "'; the layout knows " + taskTokens.keySet());
    }
    return t;
  }

  /** This layout with one more task token (for a plug-in task). */
  public VocabLayout withTask(String task, int token) {
    Map<String, Integer> tasks = new TreeMap<>(taskTokens);
    tasks.put(task, token);
    return new VocabLayout(version, pad, eos, taskBase, taskSlots, tasks, fake, sep, invisible,
        classBase, maxClasses, coordBase, coordBins, textBase);
  }

  /**
   * The same layout with {@code bins} coordinate bins (at most the space before the text range).
   * Fewer bins make localisation a coarser, faster-learned classification: about one bin per
   * input pixel suits small CPU-trained models.
   */
  public VocabLayout withCoordBins(int bins) {
    return new VocabLayout(version, pad, eos, taskBase, taskSlots, taskTokens, fake, sep,
        invisible, classBase, maxClasses, coordBase, bins, textBase);
  }

  /**
   * The same special and task tokens with the class, coordinate and text ranges packed right
   * after them: {@code maxClasses} class ids, then {@code bins} coordinate bins, then text. The
   * default layout leaves room for 900 classes and 1000 bins, and the output layer pays for every
   * id; a small model on a small label set trains markedly faster on a packed vocabulary.
   */
  public VocabLayout packed(int classes, int bins) {
    int firstFree = Math.max(taskBase + taskSlots,
        Math.max(Math.max(pad, eos), Math.max(fake, Math.max(sep, invisible))) + 1);
    int newClassBase = firstFree;
    int newCoordBase = newClassBase + classes;
    return new VocabLayout(version, pad, eos, taskBase, taskSlots, taskTokens, fake, sep,
        invisible, newClassBase, classes, newCoordBase, bins, newCoordBase + bins);
  }

  /** Token ids of the class range. */
  @JsonIgnore
  public TokenRange classRange() {
    return new TokenRange(classBase, classBase + maxClasses);
  }

  /** Token ids of the coordinate range. */
  @JsonIgnore
  public TokenRange coordRange() {
    return new TokenRange(coordBase, coordBase + coordBins);
  }

  /** Token ids of a text vocabulary of the given size. */
  public TokenRange textRange(int textVocabSize) {
    return new TokenRange(textBase, textBase + textVocabSize);
  }

  public boolean isCoord(int token) {
    return token >= coordBase && token < coordBase + coordBins;
  }

  public boolean isClass(int token) {
    return token >= classBase && token < classBase + maxClasses;
  }

  public boolean isText(int token) {
    return token >= textBase;
  }
}
