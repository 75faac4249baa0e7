package dev.pix2seq.api.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.checkpoint.NamedTensor;
import dev.pix2seq.api.checkpoint.SafeTensors;
import dev.pix2seq.api.config.ConfigIO;
import dev.pix2seq.api.model.AbstractPix2seqModel;
import dev.pix2seq.api.network.ParameterLayout;
import dev.pix2seq.api.network.ParameterSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The AdamW optimizer state of a training checkpoint, as every backend writes and reads it
 * (docs/checkpoint-format.md): {@value #STATE_FILE} holds {@code m.NAME} (first moment) then
 * {@code v.NAME} (second moment) for each parameter of the layout, in layout order, tagged
 * {@value #FORMAT}; {@value #STEP_FILE} holds {@code {"format", "optimizer": "adamw",
 * "step"}}, written atomically. A backend supplies only the moment values.
 */
public final class AdamWStateFiles {

  /** The moments' file inside the train-state folder. */
  public static final String STATE_FILE = "optimizer.safetensors";

  /** The step counter's file inside the train-state folder. */
  public static final String STEP_FILE = "optimizer.json";

  /** The format tag of both files. */
  public static final String FORMAT = "pix2seq-adamw-v1";

  private AdamWStateFiles() {}

  /**
   * The state read back: the step counter and each parameter's moments by parameter name, in
   * layout order.
   *
   * @param step optimizer steps taken
   * @param firstMoments first moments by parameter name
   * @param secondMoments second moments by parameter name
   */
  public record State(long step, Map<String, NamedTensor> firstMoments,
      Map<String, NamedTensor> secondMoments) {}

  /**
   * Writes the state into {@code dir}.
   *
   * @param firstMoments and {@code secondMoments}: each parameter's moments, named as the
   *     parameter, in any order (every parameter of {@code layout} once)
   * @throws CheckpointException naming the file that could not be written
   */
  public static void write(Path dir, ParameterLayout layout, Map<String, float[]> firstMoments,
      Map<String, float[]> secondMoments, long step) throws CheckpointException {
    List<NamedTensor> tensors = new ArrayList<>();
    for (ParameterSpec spec : layout.specs()) {
      tensors.add(new NamedTensor("m." + spec.name(), spec.shape(),
          firstMoments.get(spec.name())));
    }
    for (ParameterSpec spec : layout.specs()) {
      tensors.add(new NamedTensor("v." + spec.name(), spec.shape(),
          secondMoments.get(spec.name())));
    }
    SafeTensors.write(dir.resolve(STATE_FILE), tensors,
        Map.of(AbstractPix2seqModel.FORMAT_KEY, FORMAT));
    ObjectNode json = ConfigIO.mapper().createObjectNode();
    json.put("format", FORMAT);
    json.put("optimizer", "adamw");
    json.put("step", step);
    Path file = dir.resolve(STEP_FILE);
    try {
      ConfigIO.writeAtomically(file, ConfigIO.mapper().writerWithDefaultPrettyPrinter()
          .writeValueAsBytes(json));
    } catch (IOException e) {
      throw new CheckpointException(file + ": cannot write optimizer state: " + e.getMessage(), e);
    }
  }

  /**
   * Reads the state of {@code layout}'s parameters from {@code dir}.
   *
   * @throws CheckpointException naming the file and what is missing, misshapen or malformed
   */
  public static State read(Path dir, ParameterLayout layout) throws CheckpointException {
    Path stepFile = dir.resolve(STEP_FILE);
    long step;
    try {
      JsonNode json = ConfigIO.mapper().readTree(Files.readAllBytes(stepFile));
      JsonNode node = json == null ? null : json.get("step");
      if (node == null || !node.canConvertToLong() || node.asLong() < 0) {
        throw new CheckpointException(
            stepFile + ": field 'step' must be a non-negative integer, found " + node);
      }
      step = node.asLong();
    } catch (NoSuchFileException e) {
      throw new CheckpointException(stepFile + ": optimizer state file does not exist", e);
    } catch (IOException e) {
      throw new CheckpointException(
          stepFile + ": cannot read optimizer state: " + e.getMessage(), e);
    }
    Map<String, int[]> expected = new LinkedHashMap<>();
    for (ParameterSpec spec : layout.specs()) {
      expected.put("m." + spec.name(), spec.shape());
      expected.put("v." + spec.name(), spec.shape());
    }
    Map<String, NamedTensor> tensors =
        AbstractPix2seqModel.readExactly(dir.resolve(STATE_FILE), expected);
    Map<String, NamedTensor> first = new LinkedHashMap<>();
    Map<String, NamedTensor> second = new LinkedHashMap<>();
    for (ParameterSpec spec : layout.specs()) {
      NamedTensor m = tensors.get("m." + spec.name());
      NamedTensor v = tensors.get("v." + spec.name());
      first.put(spec.name(), new NamedTensor(spec.name(), m.shape(), m.data()));
      second.put(spec.name(), new NamedTensor(spec.name(), v.shape(), v.data()));
    }
    return new State(step, first, second);
  }
}
