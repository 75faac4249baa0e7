package dev.pix2seq.runtime.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pix2seq.api.config.ConfigIO;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run's {@code metrics.jsonl}: one JSON object per line every {@code logEvery} steps, with
 * the means over the steps since the previous line:
 *
 * <pre>
 * {"step":20,"steps":10,"loss":2.31,"taskLosses":{"detect":2.31},"learningRate":0.001,
 *  "gradientNorm":0.84,"imagesPerSecond":12.5,"elapsedSeconds":16.2}
 * </pre>
 *
 * {@code step} counts completed steps, {@code learningRate} and {@code elapsedSeconds} are those
 * of the last step, {@code taskLosses} averages each task over the steps that trained it. Lines
 * are flushed as written. A resumed run first drops the lines past its checkpoint's step, so the
 * file never holds two lines for one step. Not thread-safe.
 */
final class MetricsLog implements AutoCloseable {
  static final String FILE = "metrics.jsonl";

  private static final Logger LOG = LoggerFactory.getLogger(MetricsLog.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path file;
  private final BufferedWriter writer;
  private int steps;
  private double lossSum;
  private double gradientNormSum;
  private long images;
  private final Map<String, double[]> taskSums = new TreeMap<>();
  private double windowStartSeconds;

  private MetricsLog(Path file, BufferedWriter writer, double startSeconds) {
    this.file = file;
    this.writer = writer;
    this.windowStartSeconds = startSeconds;
  }

  /**
   * Opens {@code runDir/metrics.jsonl} for appending, keeping only lines of steps up to {@code
   * keepUpToStep} (0: starts an empty file).
   *
   * @param startSeconds the run's elapsed training time at the start (for images per second)
   */
  static MetricsLog open(Path runDir, long keepUpToStep, double startSeconds) throws IOException {
    Path file = runDir.resolve(FILE);
    List<String> kept = new ArrayList<>();
    if (keepUpToStep > 0 && Files.exists(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        long step = stepOf(line);
        if (step >= 0 && step <= keepUpToStep) {
          kept.add(line);
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    kept.forEach(l -> sb.append(l).append('\n'));
    ConfigIO.writeAtomically(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    return new MetricsLog(file, w, startSeconds);
  }

  private static long stepOf(String line) {
    try {
      JsonNode n = MAPPER.readTree(line);
      return n != null && n.has("step") && n.get("step").canConvertToLong()
          ? n.get("step").asLong() : -1;
    } catch (IOException e) {
      LOG.warn("{}: dropping a malformed line: {}", FILE, e.getMessage());
      return -1;
    }
  }

  /** Adds a step to the current window. */
  void add(StepMetrics m) {
    steps++;
    lossSum += m.loss();
    gradientNormSum += m.gradientNorm();
    images += m.images();
    m.taskLosses().forEach((task, loss) -> {
      double[] s = taskSums.computeIfAbsent(task, t -> new double[2]);
      s[0] += loss;
      s[1]++;
    });
  }

  /** Writes the line of the current window, ending with step {@code last}, and starts a new one. */
  void write(StepMetrics last) throws IOException {
    if (steps == 0) {
      return;
    }
    ObjectNode line = MAPPER.createObjectNode();
    line.put("step", last.step());
    line.put("steps", steps);
    line.put("loss", lossSum / steps);
    ObjectNode tasks = line.putObject("taskLosses");
    taskSums.forEach((task, s) -> tasks.put(task, s[0] / s[1]));
    line.put("learningRate", last.learningRate());
    line.put("gradientNorm", gradientNormSum / steps);
    double seconds = last.elapsedSeconds() - windowStartSeconds;
    line.put("imagesPerSecond", seconds > 0 ? images / seconds : 0.0);
    line.put("elapsedSeconds", last.elapsedSeconds());
    writer.write(MAPPER.writeValueAsString(line));
    writer.write('\n');
    writer.flush();
    steps = 0;
    lossSum = 0;
    gradientNormSum = 0;
    images = 0;
    taskSums.clear();
    windowStartSeconds = last.elapsedSeconds();
  }

  Path file() {
    return file;
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
