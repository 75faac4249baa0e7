import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.model.DecodingSession;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.sampling.LogitMath;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.runtime.backend.Backends;
import dev.pix2seq.runtime.checkpoint.Checkpoint;
import dev.pix2seq.runtime.checkpoint.LoadedCheckpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Image -> tokens latency of a run folder, measured as run_released.py --time measures the
 * official code: encode random images, then greedy-decode N tokens after the detection prompt
 * (token 10) with no constraint, per batch size; median of R timed runs after one warm-up.
 *
 * <p>java -cp "pix2seq-app/target/pix2seq.jar:pix2seq-app/target/lib/*" \
 *     tools/official-golden/ImageToTokens.java RUN BACKEND TOKENS REPEAT BATCH...
 */
public class ImageToTokens {
  public static void main(String[] a) throws Exception {
    Path run = Path.of(a[0]);
    String backend = a[1];
    int tokens = Integer.parseInt(a[2]);
    int repeat = Integer.parseInt(a[3]);
    try (LoadedCheckpoint ckpt =
        Checkpoint.load(run, Backends.discover().select(backend), Device.CPU)) {
      Pix2seqModel model = ckpt.model();
      for (int i = 4; i < a.length; i++) {
        int batch = Integer.parseInt(a[i]);
        List<ImageTensor> images = randomImages(batch, model.config().imageSize());
        once(model, images, tokens);
        double[] total = new double[repeat];
        double[] encode = new double[repeat];
        for (int r = 0; r < repeat; r++) {
          double[] t = once(model, images, tokens);
          encode[r] = t[0];
          total[r] = t[1];
        }
        System.out.printf("%s batch %d: image -> %d tokens %.2f s (median of %d, all %s;"
                + " encoder %.2f s)%n", backend, batch, tokens, median(total), repeat,
            Arrays.toString(total), median(encode));
      }
    }
  }

  private static double[] once(Pix2seqModel model, List<ImageTensor> images, int tokens) {
    long start = System.nanoTime();
    int batch = images.size();
    int[] rows = new int[batch];
    Arrays.setAll(rows, i -> i);
    try (ImageFeatures features = model.encoder().encode(images)) {
      double encoded = (System.nanoTime() - start) / 1e9;
      try (DecodingSession session = model.decoder().open(features, rows)) {
        int[][] next = new int[batch][1];
        for (int[] row : next) {
          row[0] = 10;
        }
        for (int step = 0; step < tokens; step++) {
          float[][] logits = session.feed(next);
          for (int r = 0; r < batch; r++) {
            next[r][0] = LogitMath.argmax(logits[r]);
          }
        }
      }
      return new double[] {encoded, (System.nanoTime() - start) / 1e9};
    }
  }

  private static List<ImageTensor> randomImages(int n, int size) {
    Random random = new Random(0);
    List<ImageTensor> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] p = new float[3 * size * size];
      for (int j = 0; j < p.length; j++) {
        p[j] = random.nextFloat();
      }
      out.add(new ImageTensor(p, 3, size, size));
    }
    return out;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
