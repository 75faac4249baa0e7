package dev.pix2seq.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pix2seq.eval.caption.CaptionEvaluation;
import dev.pix2seq.eval.caption.CaptionEvaluator;
import dev.pix2seq.eval.caption.CaptionTokenizer;
import dev.pix2seq.eval.caption.MissingResultPolicy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pix2seq caption-eval}: BLEU-1..4 and CIDEr-D as the COCO caption toolkit computes them. */
@Command(
    name = "caption-eval",
    mixinStandardHelpOptions = true,
    description = {
      "Score generated captions against COCO reference captions: BLEU-1..4 and CIDEr-D,",
      "computed as the COCO caption evaluation toolkit does."
    })
final class CaptionEvalCommand implements Callable<Integer> {

  /** How images with references but without a result are treated. */
  enum Missing {
    skip(MissingResultPolicy.SKIP),
    empty(MissingResultPolicy.SCORE_AS_EMPTY),
    fail(MissingResultPolicy.FAIL);

    final MissingResultPolicy policy;

    Missing(MissingResultPolicy policy) {
      this.policy = policy;
    }
  }

  /** Caption tokenisation before scoring. */
  enum Tokenizer {
    ptb,
    whitespace
  }

  @Spec CommandSpec spec;

  @Option(names = "--gt", required = true, paramLabel = "captions.json",
      description = "Reference captions: a COCO captions JSON.")
  Path gt;

  @Option(names = "--results", required = true, paramLabel = "RES.json",
      description = "Results: [{\"image_id\": ..., \"caption\": \"...\"}, ...].")
  Path results;

  @Option(names = "--missing", paramLabel = "POLICY", defaultValue = "skip",
      description = "Images without a result: ${COMPLETION-CANDIDATES} "
          + "(default: ${DEFAULT-VALUE}, as the toolkit).")
  Missing missing;

  @Option(names = "--tokenizer", paramLabel = "KIND", defaultValue = "ptb",
      description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}, as the toolkit).")
  Tokenizer tokenizer;

  @Option(names = "--json", description = "Print one JSON object instead of the table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    CaptionEvaluator evaluator =
        CaptionEvaluator.builder()
            .optMissingResultPolicy(missing.policy)
            .optTokenizer(
                tokenizer == Tokenizer.ptb ? CaptionTokenizer.ptb() : CaptionTokenizer.whitespace())
            .build();
    CaptionEvaluation e = evaluator.evaluate(gt, results);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectMapper m = new ObjectMapper();
      ObjectNode root = m.createObjectNode();
      e.metrics().forEach(root::put);
      out.println(m.writeValueAsString(root));
    } else {
      out.printf(Locale.ROOT, "%d images scored%n", e.imageCount());
      e.metrics().forEach((k, v) -> out.printf(Locale.ROOT, "%-8s %.4f%n", k, v));
    }
    if (!e.imagesWithoutResult().isEmpty()) {
      spec.commandLine().getErr().printf(
          "warning: %d images with reference captions have no result and were skipped%n",
          e.imagesWithoutResult().size());
      spec.commandLine().getErr().flush();
    }
    out.flush();
    return 0;
  }
}
