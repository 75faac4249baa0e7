package dev.pix2seq.eval.coco;

import dev.pix2seq.api.DatasetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Times the COCO evaluator on a generated large case (by default 5,000 images, ~7 objects and
 * ~100 detections per image): for bbox, segm and keypoints, reading the ground truth and the
 * results, per-image evaluation, accumulation and summary, each run {@code --repeat} times in
 * one JVM (the first run includes JIT warm-up).
 *
 * <pre>
 * java -cp "pix2seq-eval/target/classes:$(cat cp.txt)" dev.pix2seq.eval.coco.CocoEvalBenchmark \
 *     [--dir /tmp/coco-bench] [--images 5000] [--threads N] [--repeat 2] [--types bbox,segm,keypoints]
 * </pre>
 *
 * <p>where {@code cp.txt} comes from {@code mvn -o -q -pl pix2seq-eval dependency:build-classpath
 * -Dmdep.outputFile=cp.txt}. The case is generated into {@code --dir} unless it is already
 * there ({@code --regenerate} forces it).
 */
public final class CocoEvalBenchmark {
  private CocoEvalBenchmark() {}

  /** Runs the benchmark; see the class description for the arguments. */
  public static void main(String[] args) throws IOException, DatasetException {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "pix2seq-coco-bench");
    int images = SyntheticCocoCase.Options.large().images();
    int threads = Runtime.getRuntime().availableProcessors();
    int repeat = 2;
    boolean regenerate = false;
    List<IouType> types = List.of(IouType.BBOX, IouType.SEGM, IouType.KEYPOINTS);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--dir" -> dir = Path.of(args[++i]);
        case "--images" -> images = Integer.parseInt(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--repeat" -> repeat = Integer.parseInt(args[++i]);
        case "--regenerate" -> regenerate = true;
        case "--types" -> {
          List<IouType> t = new ArrayList<>();
          for (String s : args[++i].split(",")) {
            t.add(IouType.fromCocoName(s.trim()));
          }
          types = t;
        }
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; use --dir, --images, --threads, --repeat, --regenerate, --types");
      }
    }
    SyntheticCocoCase.Options base = SyntheticCocoCase.Options.large();
    SyntheticCocoCase.Options options = new SyntheticCocoCase.Options(images, base.gtPerImage(),
        base.detsPerImage(), base.categories(), base.width(), base.height(), base.seed());
    Path marker = dir.resolve("case-" + images + ".done");
    SyntheticCocoCase.CaseFiles files = new SyntheticCocoCase.CaseFiles(
        dir.resolve("gt.json"), dir.resolve("gt_keypoints.json"),
        dir.resolve("results_bbox.json"), dir.resolve("results_segm.json"),
        dir.resolve("results_keypoints.json"));
    if (regenerate || !Files.exists(marker)) {
      long t0 = System.nanoTime();
      files = SyntheticCocoCase.write(dir, options);
      Files.writeString(marker, options.toString());
      System.out.printf(Locale.ROOT, "generated %s in %.1f s%n", dir, seconds(t0));
    }
    System.out.printf(Locale.ROOT, "%d images, %d threads, Java %s%n", images, threads,
        Runtime.version());
    for (int run = 1; run <= repeat; run++) {
      for (IouType type : types) {
        Path gtFile = type == IouType.KEYPOINTS ? files.keypointGroundTruth()
            : files.groundTruth();
        Path resFile = switch (type) {
          case BBOX -> files.boxResults();
          case SEGM -> files.maskResults();
          case KEYPOINTS -> files.keypointResults();
        };
        timeOne(run, type, gtFile, resFile, threads);
      }
    }
  }

  private static void timeOne(int run, IouType type, Path gtFile, Path resFile, int threads)
      throws DatasetException {
    long t0 = System.nanoTime();
    CocoGroundTruth gt = CocoGroundTruth.read(gtFile);
    long t1 = System.nanoTime();
    CocoResults results = CocoResultsReader.read(resFile, gt);
    long t2 = System.nanoTime();
    CocoEvalParams params = CocoEvalParams.defaults(type);
    CocoEvalResult result;
    long t3;
    long t4;
    long t5;
    try (ParallelRunner runner = new ParallelRunner(threads)) {
      PreparedEvaluation p = PreparedEvaluation.prepare(gt, results, params, runner);
      t3 = System.nanoTime();
      UnitEvaluation[] units = CocoEvaluator.evaluateUnits(p, runner, false);
      t4 = System.nanoTime();
      Accumulator acc = Accumulator.accumulate(p, units, runner);
      t5 = System.nanoTime();
      result = CocoEvalResult.summarize(p, acc);
    }
    long t6 = System.nanoTime();
    System.out.printf(Locale.ROOT,
        "run %d %-9s total %6.2f s | read gt %5.2f, results %5.2f (%d) | prepare %5.2f, "
            + "evaluate %5.2f, accumulate %5.2f, summarize %5.3f | AP %.4f%n",
        run, type, (t6 - t0) / 1e9, (t1 - t0) / 1e9, (t2 - t1) / 1e9, results.size(),
        (t3 - t2) / 1e9, (t4 - t3) / 1e9, (t5 - t4) / 1e9, (t6 - t5) / 1e9,
        result.stats()[0]);
    if (run == 1) {
      result.summaryLines().forEach(System.out::println);
      System.out.println("stats " + Arrays.toString(result.stats()));
    }
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
