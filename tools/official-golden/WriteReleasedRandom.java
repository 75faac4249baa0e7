import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.official.ReleasedCheckpointWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a random-weight checkpoint of an official network preset in the released layout, for
 * import and speed checks without the real weights:
 *
 * <p>java -cp "pix2seq-app/target/pix2seq.jar:pix2seq-app/target/lib/*" \
 *     tools/official-golden/WriteReleasedRandom.java PREFIX PRESET VOCAB [SEED]
 */
public class WriteReleasedRandom {
  public static void main(String[] a) throws Exception {
    Path prefix = Path.of(a[0]).toAbsolutePath();
    Files.createDirectories(prefix.getParent());
    long seed = a.length > 3 ? Long.parseLong(a[3]) : 1;
    long start = System.nanoTime();
    ReleasedCheckpointWriter.writeRandom(
        prefix, ModelConfig.preset(a[1]), Integer.parseInt(a[2]), seed);
    System.out.printf("wrote %s (%s, vocabulary %s) in %.1f s%n", prefix, a[1], a[2],
        (System.nanoTime() - start) / 1e9);
  }
}
