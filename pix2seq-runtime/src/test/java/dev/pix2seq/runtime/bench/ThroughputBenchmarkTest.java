package dev.pix2seq.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.runtime.backend.FakeBackend;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThroughputBenchmarkTest {

  private static final ModelConfig MODEL = ModelConfig.preset("tiny");
  private static final ThroughputBenchmark.Plan PLAN =
      new ThroughputBenchmark.Plan(List.of(1, 3), 5, 2, 6, 0, 0, 3);

  @Test
  void measuresEveryDecodeBatchAndATrainingStep() {
    List<String> progress = new ArrayList<>();
    ThroughputBenchmark.Report report =
        new ThroughputBenchmark(new FakeBackend(), MODEL, 40, Device.CPU).run(PLAN, progress::add);
    assertEquals(FakeBackend.NAME, report.backend());
    assertEquals(List.of(1, 3),
        report.decode().stream().map(ThroughputBenchmark.DecodeResult::batchSize).toList());
    for (ThroughputBenchmark.DecodeResult r : report.decode()) {
      assertEquals(5, r.tokensPerRow());
      for (ThroughputBenchmark.Spread rate
          : List.of(r.cachedTokensPerSecond(), r.recomputeTokensPerSecond())) {
        assertTrue(rate.min() > 0 && rate.min() <= rate.median() && rate.median() <= rate.max(),
            r.toString());
      }
      ThroughputBenchmark.DecodeBreakdown d = r.breakdown();
      for (double part : new double[] {d.encode(), d.open(), d.promptStep(), d.tokenStep(),
          d.hostPerStep()}) {
        assertTrue(part >= 0, d.toString());
      }
    }
    assertNotNull(report.train());
    assertEquals(2, report.train().batchSize());
    assertEquals(6, report.train().sequenceLength());
    assertTrue(report.train().forwardSeconds() > 0, report.train().toString());
    assertEquals(40, report.vocabSize());
    assertEquals(3, progress.size(), progress.toString());
  }

  @Test
  void skipsTrainingOnABackendThatDoesNotTrain() {
    List<String> progress = new ArrayList<>();
    ThroughputBenchmark.Report report = new ThroughputBenchmark(
        FakeBackend.inferenceOnly(), MODEL, 40, Device.CPU).run(PLAN, progress::add);
    assertEquals(2, report.decode().size());
    assertNull(report.train());
    assertEquals("train: skipped, the fake-inference backend does not train", progress.get(2));
  }

  @Test
  void refusesSequencesLongerThanTheModel() {
    ThroughputBenchmark.Plan tooLong = new ThroughputBenchmark.Plan(
        List.of(1), MODEL.maxSequenceLength(), 1, 2, 0, 0, 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ThroughputBenchmark(new FakeBackend(), MODEL, 40, Device.CPU)
            .run(tooLong, s -> {}));
    assertTrue(e.getMessage().contains("maxSequenceLength"), e.getMessage());
  }
}
