package dev.pix2seq.cli;

import dev.pix2seq.data.synth.SceneOptions;
import dev.pix2seq.data.synth.SyntheticDatasetWriter;
import dev.pix2seq.data.synth.SyntheticSceneGenerator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code pix2seq synth}: writes a synthetic COCO-format dataset. Same seed, same bytes. */
@Command(
    name = "synth",
    mixinStandardHelpOptions = true,
    description = {
      "Write a synthetic COCO-format dataset: coloured shapes and stick figures",
      "with exact boxes, polygon masks, keypoints and template captions.",
      "Writes DIR/images/*.png, DIR/annotations/instances.json and",
      "DIR/annotations/captions.json. Same seed, same bytes."
    })
final class SynthCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(names = "--images", paramLabel = "N", defaultValue = "200",
      description = "Number of images (default: ${DEFAULT-VALUE}).")
  int images;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--size", paramLabel = "PX", defaultValue = "128",
      description = "Image side in pixels (default: ${DEFAULT-VALUE}).")
  int size;

  @Override
  public Integer call() throws Exception {
    if (images < 1) {
      throw new ParameterException(spec.commandLine(), "--images must be >= 1, found " + images);
    }
    if (size < 32 || size > 4096) {
      throw new ParameterException(
          spec.commandLine(), "--size must be in [32, 4096] pixels, found " + size);
    }
    SceneOptions options = SceneOptions.defaults().withSeed(seed).withSize(size, size);
    long start = System.nanoTime();
    SyntheticDatasetWriter.Summary summary =
        new SyntheticDatasetWriter(new SyntheticSceneGenerator(options)).write(out, images);
    double seconds = (System.nanoTime() - start) / 1e9;
    PrintWriter w = spec.commandLine().getOut();
    w.printf(
        Locale.ROOT,
        "wrote %d images, %d annotations, %d captions to %s in %.1f s%n",
        summary.images(), summary.annotations(), summary.captions(), summary.root(), seconds);
    w.flush();
    return 0;
  }
}
