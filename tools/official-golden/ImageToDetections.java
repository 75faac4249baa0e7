import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.InferenceConfig;
import dev.pix2seq.api.value.Detection;
import dev.pix2seq.data.image.ImageFiles;
import dev.pix2seq.runtime.backend.Backends;
import dev.pix2seq.runtime.checkpoint.Checkpoint;
import dev.pix2seq.runtime.checkpoint.LoadedCheckpoint;
import dev.pix2seq.runtime.predict.Pix2seqPredictor;
import dev.pix2seq.tasks.TaskRegistry;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Image file -> detections latency of a run folder, measured as run_released.py --detect
 * measures the official detection task: read and decode the photo, prepare the input, encode,
 * decode (for an imported official model: 500 tokens at the official top-p 0.4) and map the
 * boxes back to pixels; median of R timed runs after one warm-up, batch 1.
 *
 * <p>java -cp "pix2seq-app/target/pix2seq.jar:pix2seq-app/target/lib/*" \
 *     tools/official-golden/ImageToDetections.java RUN BACKEND PHOTO REPEAT
 */
public class ImageToDetections {
  public static void main(String[] a) throws Exception {
    Path run = Path.of(a[0]);
    String backend = a[1];
    Path photo = Path.of(a[2]);
    int repeat = Integer.parseInt(a[3]);
    try (LoadedCheckpoint ckpt =
        Checkpoint.load(run, Backends.discover().select(backend), Device.CPU)) {
      Pix2seqPredictor predictor = Pix2seqPredictor.of(ckpt.model(), ckpt.context(),
          TaskRegistry.discover(ImageToDetections.class.getClassLoader()),
          InferenceConfig.defaults());
      int found = once(predictor, photo).size();
      double[] seconds = new double[repeat];
      for (int r = 0; r < repeat; r++) {
        long start = System.nanoTime();
        found = once(predictor, photo).size();
        seconds[r] = (System.nanoTime() - start) / 1e9;
      }
      double[] sorted = seconds.clone();
      Arrays.sort(sorted);
      System.out.printf("%s: image -> %d detections %.2f s (median of %d: %s)%n", backend, found,
          sorted[repeat / 2], repeat, Arrays.toString(seconds));
    }
  }

  private static List<Detection> once(Pix2seqPredictor predictor, Path photo) throws Exception {
    return predictor.detect(ImageFiles.toTensor(ImageFiles.read(photo)));
  }
}
