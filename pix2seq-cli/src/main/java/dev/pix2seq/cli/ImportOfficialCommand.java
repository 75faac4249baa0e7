package dev.pix2seq.cli;

import dev.pix2seq.api.value.Category;
import dev.pix2seq.data.coco.CocoReader;
import dev.pix2seq.official.OfficialImport;
import dev.pix2seq.official.OfficialRunConfig;
import dev.pix2seq.official.OfficialVariant;
import dev.pix2seq.tokenizer.SentencePieceTokenizer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pix2seq import-official}: an official Pix2seq checkpoint (the authors' release) as a
 * pix2seq-java run folder that every backend and command loads.
 */
@Command(
    name = "import-official",
    mixinStandardHelpOptions = true,
    description = {
      "Import an official Pix2seq checkpoint (TF2 ckpt-N.index + .data-*) into a",
      "run folder for predict, eval, logits and the DJL Criteria. The network's",
      "sizes are read from the checkpoint; the image size and tasks from the run's",
      "config.json or a named variant. Optimizer state is skipped; nothing is",
      "written unless every variable maps."
    })
final class ImportOfficialCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--checkpoint", required = true, paramLabel = "PREFIX",
      description = "The checkpoint prefix: the path of ckpt-N.index without '.index'.")
  Path checkpoint;

  @ArgGroup(exclusive = true, multiplicity = "1")
  RunSettings settings;

  static final class RunSettings {
    @Option(names = "--config", paramLabel = "FILE",
        description = "The official run's config.json (its 'model' entry and its tasks).")
    Path config;

    @Option(names = "--variant", paramLabel = "NAME",
        description = "A released configuration: multitask-vit-b-640, multitask-vit-b-1024,"
            + " det-vit-b-640, det-vit-b-1024, det-vit-l-640, det-vit-l-1024.")
    String variant;
  }

  @Option(names = "--sentencepiece", paramLabel = "FILE",
      description = "The sentencepiece model of the captions (c4_en_32k_spm.model);"
          + " required when the checkpoint has text tokens.")
  Path sentencepiece;

  @Option(names = "--categories", paramLabel = "FILE",
      description = "A COCO annotation file whose categories name the class tokens"
          + " (default: the COCO 2017 categories with the person keypoints).")
  Path categories;

  @Option(names = "--out", required = true, paramLabel = "RUN",
      description = "The run folder to write (new, empty, or an earlier import to replace).")
  Path out;

  @Override
  public Integer call() throws Exception {
    OfficialRunConfig runConfig;
    if (settings.config != null) {
      runConfig = OfficialRunConfig.read(settings.config);
    } else {
      try {
        runConfig = OfficialVariant.of(settings.variant.toLowerCase(Locale.ROOT)).runConfig();
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--variant: " + e.getMessage());
      }
    }
    OfficialImport.Builder builder = OfficialImport.builder()
        .setCheckpoint(checkpoint)
        .setRunConfig(runConfig);
    if (sentencepiece != null) {
      builder.optTextTokenizer(SentencePieceTokenizer.open(sentencepiece));
    }
    if (categories != null) {
      List<Category> named =
          new CocoReader(CocoReader.Options.lenient()).readInstances(categories).dataset()
              .categories();
      if (named.isEmpty()) {
        throw new ParameterException(spec.commandLine(),
            "--categories " + categories + ": the file lists no categories");
      }
      builder.optCategories(named);
    }
    OfficialImport.Result r = builder.build().writeTo(out);
    PrintWriter w = spec.commandLine().getOut();
    w.printf(Locale.ROOT, "imported %s: %d variables (%,d parameters, %d other entries skipped)"
            + "%s%n", checkpoint, r.variables(), r.parameters(), r.skipped(),
        r.step() >= 0 ? ", step " + r.step() : "");
    w.printf(Locale.ROOT, "network: official (preset %s), %d px, patch %d, encoder %d x %d,"
            + " decoder %d x %d, vocabulary %d%n", r.model().preset(), r.model().imageSize(),
        r.model().patchSize(), r.model().encoderLayers(), r.model().encoderWidth(),
        r.model().decoderLayers(), r.model().decoderWidth(), r.vocabSize());
    w.println("wrote " + out);
    w.flush();
    return 0;
  }
}
