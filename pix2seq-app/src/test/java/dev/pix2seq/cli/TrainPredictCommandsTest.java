package dev.pix2seq.cli;

import static dev.pix2seq.cli.CommandRuns.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train, then predict every task with the trained run, through the command line. */
class TrainPredictCommandsTest {

  @TempDir static Path tmp;
  static Path data;
  static Path run;

  @BeforeAll
  static void trainATinyModel() throws Exception {
    data = tmp.resolve("data");
    run = tmp.resolve("run");
    assertEquals(0, Pix2seqCommand.execute("synth", "--out", data.toString(), "--images", "6",
        "--size", "64", "--seed", "2"));
    Path model = tmp.resolve("model.json");
    Files.writeString(model, """
        {"preset": "tiny", "imageSize": 32, "patchSize": 8, "encoderLayers": 1,
         "encoderWidth": 32, "encoderHeads": 2, "encoderMlp": 64, "decoderLayers": 1,
         "decoderWidth": 32, "decoderHeads": 2, "decoderMlp": 64, "maxSequenceLength": 128}
        """);
    assertEquals(0, Pix2seqCommand.execute("train", "--data", data.toString(), "--out",
        run.toString(), "--model-config", model.toString(), "--steps", "2", "--batch", "2"));
  }

  @Test
  void trainWritesACheckpointAndMetrics() throws Exception {
    for (String f : new String[] {"model.json", "vocab.json", "tokenizer.json",
        "weights.safetensors", "train-state"}) {
      assertTrue(Files.exists(run.resolve("checkpoint").resolve(f)), f);
    }
    assertTrue(Files.readAllLines(run.resolve("metrics.jsonl")).size() >= 1);
  }

  @Test
  void benchMeasuresAModelConfigOrARunsNetworkOnBothBackends() throws Exception {
    Path report = tmp.resolve("bench.json");
    assertEquals(0, Pix2seqCommand.execute("bench", "--backend", "djl,tf", "--model-config",
        tmp.resolve("model.json").toString(), "--batch", "1,2", "--tokens", "4",
        "--train-batch", "2", "--repeat", "1", "--warmup-seconds", "0", "--json",
        report.toString()));
    JsonNode reports = new ObjectMapper().readTree(report.toFile());
    assertEquals(2, reports.size());
    for (JsonNode r : reports) {
      assertEquals(32, r.get("model").get("imageSize").asInt());
      assertEquals(2, r.get("decode").size());
      JsonNode rate = r.get("decode").get(1).get("cachedTokensPerSecond");
      assertTrue(rate.get("min").asDouble() > 0, rate.toString());
      assertTrue(r.get("decode").get(0).get("breakdown").get("tokenStep").asDouble() > 0);
      assertTrue(r.get("train").get("forwardSeconds").asDouble() > 0);
    }
    assertEquals("djl", reports.get(0).get("backend").asText());
    assertEquals("tf", reports.get(1).get("backend").asText());

    assertEquals(0, Pix2seqCommand.execute("bench", "--model", run.toString(), "--batch", "1",
        "--tokens", "3", "--repeat", "1", "--warmup-seconds", "0", "--no-train", "--json",
        report.toString()));
    JsonNode fromRun = new ObjectMapper().readTree(report.toFile()).get(0);
    int vocab = new ObjectMapper().readTree(run.resolve("checkpoint").resolve("model.json")
        .toFile()).get("vocabSize").asInt();
    assertEquals(vocab, fromRun.get("vocabSize").asInt());
    assertTrue(fromRun.get("train").isNull());

    assertEquals("give one of --preset, --model-config and --model",
        failure(2, "bench", "--preset", "tiny", "--model", run.toString()));
    assertEquals("--text-vocab sizes the default vocabulary; it cannot be combined with "
        + "--vocab-size or --model",
        failure(2, "bench", "--model", run.toString(), "--text-vocab", "10"));
    assertEquals("--tokens must be from 2 to 127 for this model (its maxSequenceLength is 128), "
        + "found 200", failure(2, "bench", "--model", run.toString(), "--tokens", "200"));
    assertEquals("--warmup-seconds must be a finite number >= 0, found -1.0",
        failure(2, "bench", "--warmup-seconds", "-1"));
  }

  @Test
  void predictWritesAPictureAndCocoResultsForEveryTask() throws Exception {
    Path image = data.resolve("images").resolve("000000.png");
    String[][] tasks = {
      {"detect"}, {"describe"},
      {"segment", "--box", "4,4,30,30", "--category", "2"},
      {"segment", "--box", "40,8,20,30"},
      {"keypoint", "--box", "10,10,30,40"},
      {"detect", "--sampler", "beam", "--beam-size", "2"}
    };
    ObjectMapper json = new ObjectMapper();
    for (String[] task : tasks) {
      Path out = tmp.resolve("out-" + String.join("-", task).replace(',', '_'));
      String[] args = new String[8 + task.length];
      System.arraycopy(new String[] {"predict", "--model", run.toString(), "--image",
          image.toString(), "--out", out.toString(), "--task"}, 0, args, 0, 8);
      System.arraycopy(task, 0, args, 8, task.length);
      assertEquals(0, Pix2seqCommand.execute(args), String.join(" ", task));
      BufferedImage png = ImageIO.read(out.resolveSibling(out.getFileName() + ".png").toFile());
      assertTrue(png.getWidth() >= 64, "annotated picture of " + task[0]);
      JsonNode results = json.readTree(out.resolveSibling(out.getFileName() + ".json").toFile());
      assertTrue(results.isArray(), "COCO results are a JSON array");
      for (JsonNode r : results) {
        assertEquals(1, r.get("image_id").asInt());
        String field = switch (task[0]) {
          case "detect" -> "bbox";
          case "segment" -> "segmentation";
          case "keypoint" -> "keypoints";
          default -> "caption";
        };
        assertTrue(r.has(field), task[0] + " result has " + field + ": " + r);
      }
      if (!task[0].equals("detect")) {
        assertEquals(1, results.size(), task[0] + " answers its one request");
      }
    }
  }

  @Test
  void evalScoresEveryTrainedTaskAndWritesResults() throws Exception {
    Path out = tmp.resolve("eval");
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    java.io.PrintStream previous = System.out;
    System.setOut(new java.io.PrintStream(captured, true, "UTF-8"));
    int code;
    try {
      code = Pix2seqCommand.execute("eval", "--model", run.toString(), "--data",
          data.toString(), "--images", "3", "--out", out.toString(), "--json");
    } finally {
      System.setOut(previous);
    }
    assertEquals(0, code);
    String printed = captured.toString("UTF-8");
    JsonNode metrics = new ObjectMapper().readTree(printed.substring(printed.indexOf('{')));
    assertTrue(metrics.toString().contains("bbox_AP"), printed);
    assertTrue(metrics.toString().contains("CIDEr-D"), printed);
    assertTrue(Files.exists(out.resolve("metrics.json")));
  }

  @Test
  void exportWritesASavedModelAndRefusesOtherFormats() {
    Path out = tmp.resolve("savedmodel");
    assertEquals(0, Pix2seqCommand.execute("export", "--model", run.toString(), "--out",
        out.toString()));
    assertTrue(Files.exists(out.resolve("saved_model.pb")), "SavedModel graph written");
    assertEquals(2, Pix2seqCommand.execute("export", "--model", run.toString(), "--format",
        "onnx", "--out", tmp.resolve("onnx").toString()));
  }

  @Test
  void trainAndPredictRunOnTheTensorFlowBackendToo() throws Exception {
    Path tfRun = tmp.resolve("tf-run");
    Path model = tmp.resolve("model.json");
    assertEquals(0, Pix2seqCommand.execute("train", "--backend", "tf", "--data", data.toString(),
        "--out", tfRun.toString(), "--model-config", model.toString(), "--tasks",
        "detect,describe", "--steps", "2", "--batch", "2"));
    Path out = tmp.resolve("tf-detect");
    assertEquals(0, Pix2seqCommand.execute("predict", "--backend", "tf", "--model",
        tfRun.toString(), "--image", data.resolve("images").resolve("000000.png").toString(),
        "--task", "detect", "--out", out.toString()));
    assertTrue(Files.exists(out.resolveSibling("tf-detect.json")));
    // the checkpoint is backend-neutral: the DJL backend predicts with the TF-trained weights
    assertEquals(0, Pix2seqCommand.execute("predict", "--backend", "djl", "--model",
        tfRun.toString(), "--image", data.resolve("images").resolve("000000.png").toString(),
        "--task", "describe", "--out", tmp.resolve("djl-describe").toString()));
  }

  @Test
  void badArgumentsAreOneLineErrors() {
    Path image = data.resolve("images").resolve("000000.png");
    assertEquals(2, Pix2seqCommand.execute("predict", "--model", run.toString(), "--image",
        image.toString(), "--task", "dance", "--out", tmp.resolve("x").toString()));
    assertEquals(2, Pix2seqCommand.execute("predict", "--model", run.toString(), "--image",
        image.toString(), "--task", "segment", "--box", "1,2,3", "--out",
        tmp.resolve("x").toString()));
    assertEquals(1, Pix2seqCommand.execute("predict", "--model", tmp.resolve("nothing").toString(),
        "--image", image.toString(), "--task", "detect", "--out", tmp.resolve("x").toString()));
    assertEquals(1, Pix2seqCommand.execute("train", "--data", data.toString(), "--out",
        run.toString(), "--steps", "2", "--backend", "nope"));
  }

  /** Image files of unusual kinds give a result; broken ones one line, never a stack trace. */
  @Test
  void predictReadsUnusualImagesAndRefusesBrokenOnesInOneLine() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("unusual"));
    BufferedImage gray16 = new BufferedImage(40, 30, BufferedImage.TYPE_USHORT_GRAY);
    gray16.getRaster().setSample(5, 5, 0, 60_000);
    ImageIO.write(gray16, "png", dir.resolve("gray16.png").toFile());
    ImageIO.write(new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_INDEXED), "png",
        dir.resolve("palette.png").toFile());
    ImageIO.write(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB), "png",
        dir.resolve("one-pixel.png").toFile());
    ImageIO.write(new BufferedImage(5000, 3, BufferedImage.TYPE_INT_RGB), "png",
        dir.resolve("strip.png").toFile());
    // CMYK JPEG: four colour channels, as print workflows write them
    WritableRaster cmyk = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 40, 30, 4, null);
    ImageWriter jpeg = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ImageOutputStream out =
        ImageIO.createImageOutputStream(dir.resolve("cmyk.jpg").toFile())) {
      jpeg.setOutput(out);
      jpeg.write(null, new IIOImage(cmyk, null, null), null);
    } finally {
      jpeg.dispose();
    }
    for (String ok : List.of("gray16.png", "palette.png", "one-pixel.png", "strip.png",
        "cmyk.jpg")) {
      assertEquals(0, Pix2seqCommand.execute("predict", "--model", run.toString(), "--image",
          dir.resolve(ok).toString(), "--task", "detect", "--out",
          tmp.resolve("unusual-" + ok).toString()), ok);
    }
    byte[] png = Files.readAllBytes(dir.resolve("palette.png"));
    Files.write(dir.resolve("truncated.png"), Arrays.copyOf(png, png.length / 2));
    Files.write(dir.resolve("corrupt.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, 4});
    Files.write(dir.resolve("empty.png"), new byte[0]);
    for (String bad : List.of("truncated.png", "corrupt.jpg", "empty.png", "missing.png")) {
      String error = failure(1, "predict", "--model", run.toString(), "--image",
          dir.resolve(bad).toString(), "--task", "detect", "--out",
          tmp.resolve("bad-" + bad).toString());
      assertTrue(error.contains(bad), bad + ": " + error);
    }
  }

  @Test
  void anImageOverThePixelBudgetIsOneLineNamingFileSizeAndLimit() {
    Path image = data.resolve("images").resolve("000000.png");
    String error = failure(1, "predict", "--model", run.toString(), "--image",
        image.toString(), "--task", "detect", "--max-pixels", "4000", "--out",
        tmp.resolve("big").toString());
    assertTrue(error.contains(image.toString()) && error.contains("64x64")
        && error.contains("limit of 4000 pixels"), error);
    assertFalse(Files.exists(tmp.resolve("big.json")), "nothing written");
    failure(2, "predict", "--model", run.toString(), "--image", image.toString(),
        "--task", "detect", "--max-pixels", "0", "--out", tmp.resolve("big").toString());
  }
}
