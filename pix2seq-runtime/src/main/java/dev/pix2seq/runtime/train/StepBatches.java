package dev.pix2seq.runtime.train;

import dev.pix2seq.api.DatasetException;
import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.api.training.WeightedBatch;
import dev.pix2seq.data.augment.AnnotatedImage;
import dev.pix2seq.tasks.TaskMixer;
import dev.pix2seq.tasks.examples.ExampleBuilder;
import dev.pix2seq.tasks.examples.TrainingExample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The batches of each step, a pure function of the step number: everything random is drawn from
 * a generator seeded by {@code (seed, step)}.
 *
 * <p>In {@code sampled} mixing one task is drawn by weight and fills the step's single batch
 * (loss weight 1); in {@code summed} mixing every task of positive weight gets a batch, weighed
 * by its share of the total weight. The weights are the step's: its stage's while the config's
 * stages last ({@link TrainConfig#weightsAt}), then the config's task weights. Row {@code j} of
 * a task's batch in step {@code s} takes the image at index {@code k = s * batchSize + j} of the
 * task's image order, which visits the task's images in a fresh random permutation each epoch
 * ({@code k / images}); when that image yields no example (augmentation cut away every
 * instance), random images of the task are tried instead. Thread-safe.
 */
final class StepBatches {
  /** Images tried for one row before giving up. */
  static final int MAX_ATTEMPTS = 20;

  private static final long ORDER_PURPOSE = 0x6F72646572L;

  private final TrainingData data;
  private final Map<String, ExampleBuilder> builders;
  private final TrainConfig config;
  private final List<String> tasks;
  private final long seed;
  private final int batchSize;
  private final boolean summed;
  private final int padToken;
  private final int maxLength;
  private final Map<String, Permutation> permutations = new HashMap<>();

  /** The permutation of one task's images in one epoch. */
  private record Permutation(long epoch, int[] order) {}

  StepBatches(
      TrainingData data, Map<String, ExampleBuilder> builders, TrainConfig config, int padToken,
      int maxLength) {
    this.data = data;
    this.builders = Map.copyOf(builders);
    this.config = config;
    this.tasks = config.tasks();
    this.seed = config.seed();
    this.batchSize = config.batchSize();
    this.summed = config.mixing().equals("summed");
    this.padToken = padToken;
    this.maxLength = maxLength;
    for (String task : tasks) {
      if (!builders.containsKey(task)) {
        throw new IllegalArgumentException("no example builder for task '" + task + "'");
      }
    }
  }

  /**
   * The batches of step {@code step} (0-based).
   *
   * @throws DatasetException naming the image file when an image cannot be read or no image
   *     of a task yields an example
   */
  List<WeightedBatch> forStep(long step) throws DatasetException {
    SplittableRandom rng = new SplittableRandom(StepSeeds.of(seed, step));
    TaskMixer mixer = TaskMixer.at(config, step);
    List<WeightedBatch> out = new ArrayList<>();
    if (summed) {
      Map<String, Double> lossWeights = mixer.lossWeights();
      for (String task : tasks) {
        SplittableRandom taskRng = rng.split();
        double w = lossWeights.get(task);
        if (w > 0) {
          out.add(new WeightedBatch(batch(task, step, taskRng), w));
        }
      }
    } else {
      String task = mixer.draw(rng);
      out.add(new WeightedBatch(batch(task, step, rng.split()), 1.0));
    }
    return out;
  }

  private dev.pix2seq.api.training.TrainingBatch batch(
      String task, long step, SplittableRandom rng) throws DatasetException {
    List<TrainingExample> examples = new ArrayList<>(batchSize);
    for (int j = 0; j < batchSize; j++) {
      examples.add(example(task, step * batchSize + j, rng.split()));
    }
    return TrainingBatches.pad(task, examples, padToken, maxLength);
  }

  private TrainingExample example(String task, long index, SplittableRandom rng)
      throws DatasetException {
    int[] images = data.eligible(task);
    ExampleBuilder builder = builders.get(task);
    int position = imageAt(task, images, index);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (attempt > 0) {
        position = images[rng.nextInt(images.length)];
      }
      AnnotatedImage sample = data.sample(position);
      java.util.Optional<TrainingExample> built;
      try {
        built = builder.build(sample, rng);
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new DatasetException(data.imageFile(position) + ": cannot build a '" + task
            + "' training example: " + e.getMessage(), e);
      }
      if (built.isPresent() && hasWeight(built.get())) {
        return built.get();
      }
    }
    throw new DatasetException(data.root() + ": task '" + task + "': " + MAX_ATTEMPTS
        + " images in a row gave no training example (last: " + data.imageFile(position) + ")");
  }

  private static boolean hasWeight(TrainingExample e) {
    for (float w : e.sequence().weights()) {
      if (w > 0) {
        return true;
      }
    }
    return false;
  }

  private int imageAt(String task, int[] images, long index) {
    long epoch = index / images.length;
    int within = (int) (index % images.length);
    return permutation(task, images, epoch)[within];
  }

  private synchronized int[] permutation(String task, int[] images, long epoch) {
    Permutation p = permutations.get(task);
    if (p == null || p.epoch() != epoch) {
      int[] order = images.clone();
      SplittableRandom rng = new SplittableRandom(
          StepSeeds.of(seed, ORDER_PURPOSE + tasks.indexOf(task), epoch));
      for (int i = order.length - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      p = new Permutation(epoch, order);
      permutations.put(task, p);
    }
    return p.order();
  }
}
