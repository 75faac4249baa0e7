package dev.pix2seq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The BOM stands alone (no parent), so nothing but this check keeps it in step with the build:
 * it manages every published module, at the build's version, and the engine versions the build
 * uses.
 */
class BomTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void theBomManagesEveryModuleAtTheBuildsVersionAndTheBuildsEngines() throws Exception {
    Document parent = read(ROOT.resolve("pom.xml"));
    Document bom = read(ROOT.resolve("pix2seq-bom").resolve("pom.xml"));
    Set<String> modules = new TreeSet<>(texts(parent.getDocumentElement(), "module"));
    modules.remove("pix2seq-bom");
    Set<String> managed = new TreeSet<>();
    NodeList dependencies = bom.getElementsByTagName("dependency");
    for (int i = 0; i < dependencies.getLength(); i++) {
      Element d = (Element) dependencies.item(i);
      if (text(d, "groupId").equals("dev.pix2seq")) {
        managed.add(text(d, "artifactId"));
        assertEquals("${pix2seq.version}", text(d, "version"), text(d, "artifactId"));
      }
    }
    assertEquals(modules, managed, "modules of the build against artifacts the BOM manages");
    String buildVersion = text(parent.getDocumentElement(), "version");
    assertEquals(buildVersion, text(bom.getDocumentElement(), "version"));
    for (String property : List.of("djl.version", "tensorflow.version")) {
      assertEquals(property(parent, property), property(bom, property), property);
    }
    assertEquals(buildVersion, property(bom, "pix2seq.version"));
  }

  private static Document read(Path pom) throws Exception {
    assertEquals(true, Files.isRegularFile(pom), pom.toString());
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
  }

  private static String property(Document pom, String name) {
    Element properties = (Element) pom.getDocumentElement().getElementsByTagName("properties")
        .item(0);
    return text(properties, name);
  }

  /** The text of {@code parent}'s first direct child called {@code name}. */
  private static String text(Element parent, String name) {
    List<String> values = texts(parent, name);
    if (values.isEmpty()) {
      throw new AssertionError("no <" + name + "> in <" + parent.getTagName() + ">");
    }
    return values.get(0);
  }

  /** The texts of the children called {@code name} of {@code parent} (any depth for modules). */
  private static List<String> texts(Element parent, String name) {
    List<String> out = new ArrayList<>();
    NodeList nodes = parent.getElementsByTagName(name);
    for (int i = 0; i < nodes.getLength(); i++) {
      Element e = (Element) nodes.item(i);
      if (name.equals("module") || e.getParentNode() == parent) {
        out.add(e.getTextContent().trim());
      }
    }
    return out;
  }
}
