package dev.pix2seq.data.synth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Template captions of a scene, all predictable from its pixels: lower case, no punctuation.
 * The canonical caption lists the object groups (colour and kind; figures as people) from left
 * to right by the leftmost member's visible centroid, with counts.
 */
final class SceneCaptioner {
  private static final String[] NUMBERS = {
    "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve"
  };
  /** Fewest and most captions per scene with objects. */
  static final int MIN_CAPTIONS = 3;
  static final int MAX_CAPTIONS = 5;

  private SceneCaptioner() {}

  static List<String> describe(List<SceneInstance> instances, SplittableRandom random) {
    if (instances.isEmpty()) {
      return List.of("an empty picture", "a plain background with no objects",
          "there are no objects in the picture");
    }
    List<String> optional = new ArrayList<>();
    optional.add(counts(instances));
    optional.add(colours(instances));
    optional.add(total(instances));
    if (instances.size() == 1) {
      optional.add("a single " + singular(instances.get(0)));
    } else {
      optional.add(relation(instances, random));
      optional.add("the largest object is " + withArticle(singular(largest(instances, -1))));
    }
    for (int i = optional.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      String t = optional.get(i);
      optional.set(i, optional.get(j));
      optional.set(j, t);
    }
    int wanted = random.nextInt(MIN_CAPTIONS, MAX_CAPTIONS + 1);
    Set<String> out = new LinkedHashSet<>();
    out.add(canonical(instances));
    for (String s : optional) {
      if (out.size() >= wanted) {
        break;
      }
      out.add(s);
    }
    return List.copyOf(out);
  }

  /** Groups of equal description, left to right, with counts. */
  static String canonical(List<SceneInstance> instances) {
    Map<String, List<SceneInstance>> groups = new LinkedHashMap<>();
    List<SceneInstance> byX = new ArrayList<>(instances);
    byX.sort(Comparator.comparingDouble(s -> s.centroid()[0]));
    for (SceneInstance s : byX) {
      groups.computeIfAbsent(singular(s), k -> new ArrayList<>()).add(s);
    }
    List<String> parts = new ArrayList<>();
    for (List<SceneInstance> g : groups.values()) {
      SceneInstance first = g.get(0);
      parts.add(g.size() == 1 ? withArticle(singular(first))
          : number(g.size()) + " " + plural(first));
    }
    return joinAnd(parts);
  }

  private static String counts(List<SceneInstance> instances) {
    Map<SceneObjectKind, Integer> n = new EnumMap<>(SceneObjectKind.class);
    for (SceneInstance s : instances) {
      n.merge(s.kind(), 1, Integer::sum);
    }
    List<String> parts = new ArrayList<>();
    List<SceneObjectKind> order = new ArrayList<>(SceneObjectKind.SHAPES);
    order.add(SceneObjectKind.PERSON);
    int firstCount = 0;
    for (SceneObjectKind k : order) {
      Integer c = n.get(k);
      if (c != null) {
        parts.add(number(c) + " " + (c == 1 ? k.singular() : k.plural()));
        firstCount = firstCount == 0 ? c : firstCount;
      }
    }
    // "there is" agrees with the first noun phrase: "there is one circle and two people".
    return (firstCount == 1 ? "there is " : "there are ") + joinAnd(parts);
  }

  private static String colours(List<SceneInstance> instances) {
    Set<SceneColor> colours = EnumSet.noneOf(SceneColor.class);
    int shapes = 0;
    int people = 0;
    for (SceneInstance s : instances) {
      if (s.kind() == SceneObjectKind.PERSON) {
        people++;
      } else {
        shapes++;
        colours.add(s.color());
      }
    }
    String peoplePhrase = people == 1 ? "a person" : number(people) + " people";
    if (shapes == 0) {
      return "a picture of " + peoplePhrase;
    }
    List<String> words = colours.stream().map(SceneColor::word).toList();
    String shapePhrase = shapes == 1
        ? withArticle(words.get(0) + " shape")
        : joinAnd(words) + " shapes";
    return people == 0 ? shapePhrase : shapePhrase + " and " + peoplePhrase;
  }

  private static String total(List<SceneInstance> instances) {
    int n = instances.size();
    return "a picture with " + number(n) + (n == 1 ? " object" : " objects");
  }

  private static String relation(List<SceneInstance> instances, SplittableRandom random) {
    SceneInstance a = largest(instances, -1);
    SceneInstance b = largest(instances, instances.indexOf(a));
    if (random.nextBoolean()) {
      SceneInstance t = a;
      a = b;
      b = t;
    }
    double[] ca = a.centroid();
    double[] cb = b.centroid();
    double dx = ca[0] - cb[0];
    double dy = ca[1] - cb[1];
    String rel;
    if (Math.abs(dx) >= Math.abs(dy)) {
      rel = dx < 0 ? "left of" : "right of";
    } else {
      rel = dy < 0 ? "above" : "below";
    }
    String first = withArticle(singular(a));
    String second = singular(a).equals(singular(b)) ? "another " + singular(b)
        : withArticle(singular(b));
    return first + " " + rel + " " + second;
  }

  /** The instance with the largest visible area (first on ties), skipping index {@code skip}. */
  private static SceneInstance largest(List<SceneInstance> instances, int skip) {
    SceneInstance best = null;
    for (int i = 0; i < instances.size(); i++) {
      SceneInstance s = instances.get(i);
      if (i != skip && (best == null || s.area() > best.area())) {
        best = s;
      }
    }
    return best;
  }

  static String singular(SceneInstance s) {
    return s.kind() == SceneObjectKind.PERSON ? "person"
        : s.color().word() + " " + s.kind().singular();
  }

  static String plural(SceneInstance s) {
    return s.kind() == SceneObjectKind.PERSON ? "people"
        : s.color().word() + " " + s.kind().plural();
  }

  private static String withArticle(String phrase) {
    char c = phrase.charAt(0);
    return ("aeiou".indexOf(c) >= 0 ? "an " : "a ") + phrase;
  }

  private static String number(int n) {
    return n < NUMBERS.length ? NUMBERS[n] : "many";
  }

  private static String joinAnd(List<String> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    return String.join(" ", parts.subList(0, parts.size() - 1)) + " and "
        + parts.get(parts.size() - 1);
  }
}
