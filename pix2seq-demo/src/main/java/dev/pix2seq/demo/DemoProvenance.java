package dev.pix2seq.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pix2seq.demo.report.MetricJson;
import dev.pix2seq.runtime.checkpoint.Provenance;
import java.time.Instant;

/**
 * Where a demo's numbers come from: the library, the backend, the Java runtime and the machine,
 * the seed and when it ran.
 *
 * @param libraryVersion version of pix2seq-java
 * @param backend the backend that trained and ran the model
 * @param javaVersion the Java runtime's version
 * @param javaVendor the Java runtime's vendor
 * @param os operating system name, version and architecture
 * @param cores processors available to the JVM
 * @param maxHeapBytes the JVM's maximum heap
 * @param seed the recipe's seed
 * @param startedAt when the demo started (ISO-8601, UTC)
 */
public record DemoProvenance(
    String libraryVersion, String backend, String javaVersion, String javaVendor, String os,
    int cores, long maxHeapBytes, long seed, String startedAt) {

  public DemoProvenance {
    if (backend == null || startedAt == null) {
      throw new IllegalArgumentException("provenance needs the backend and the start time");
    }
  }

  /** The provenance of a demo started now in this JVM. */
  public static DemoProvenance now(String backend, long seed, Instant startedAt) {
    Runtime rt = Runtime.getRuntime();
    return new DemoProvenance(Provenance.now(backend, 0).libraryVersion(), backend,
        System.getProperty("java.version"), System.getProperty("java.vendor"),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
            + System.getProperty("os.arch"),
        rt.availableProcessors(), rt.maxMemory(), seed, startedAt.toString());
  }

  /** The provenance as JSON. */
  public ObjectNode toJson() {
    ObjectNode n = MetricJson.object();
    n.put("library", "pix2seq-java " + libraryVersion);
    n.put("backend", backend);
    n.put("java", javaVersion);
    n.put("javaVendor", javaVendor);
    n.put("os", os);
    n.put("cores", cores);
    n.put("maxHeapMiB", maxHeapBytes / (1024 * 1024));
    n.put("seed", seed);
    n.put("startedAt", startedAt);
    return n;
  }
}
