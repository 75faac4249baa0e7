package dev.pix2seq.runtime.predict;

import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.InferenceConfig;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.api.value.KeypointSchema;
import dev.pix2seq.api.vocab.VocabLayout;
import dev.pix2seq.tasks.TaskPlugin;
import dev.pix2seq.tasks.TaskRegistry;
import dev.pix2seq.tokenizer.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** Small vocabularies, configs and images shared by the prediction tests. */
final class PredictFixtures {
  static final int PERSON = 1;
  static final int CAR = 3;
  static final int DOG = 7;
  static final int INPUT_SIZE = 64;

  static final KeypointSchema PERSON_SCHEMA =
      new KeypointSchema(
          List.of("nose", "left_hand", "right_hand", "hip"),
          List.of(new KeypointSchema.Edge(0, 3), new KeypointSchema.Edge(1, 3),
              new KeypointSchema.Edge(2, 3)));

  static final List<String> WORDS =
      List.of("a", "dog", "riding", "red", "car", "on", "the", "street");

  private PredictFixtures() {}

  static List<Category> categories() {
    return List.of(
        new Category(PERSON, "person", "person", PERSON_SCHEMA),
        Category.of(CAR, "car"),
        Category.of(DOG, "dog"));
  }

  static Vocabulary vocabulary() {
    return vocabulary(Vocabulary.defaultLayout());
  }

  /** The fixtures' categories as an official import lays them out: class token 100 + id. */
  static Vocabulary officialVocabulary() {
    List<Category> laidOut = new ArrayList<>();
    for (int id = 0; id <= DOG; id++) {
      int at = id;
      laidOut.add(categories().stream().filter(c -> c.id() == at).findFirst()
          .orElse(Category.of(id, "unused-" + id)));
    }
    return new Vocabulary(Vocabulary.defaultLayout(), laidOut, new WordTokenizer(WORDS));
  }

  static Vocabulary vocabulary(VocabLayout layout) {
    return new Vocabulary(layout, categories(), new WordTokenizer(WORDS));
  }

  /** A tiny architecture with a 64-pixel input (the fake model only reads imageSize). */
  static ModelConfig modelConfig() {
    return new ModelConfig(ModelConfig.CURRENT_VERSION, "test", INPUT_SIZE, 16, true, 1, 32, 2,
        64, 1, 32, 2, 64, 320, 0, 0, 1e-6);
  }

  static InferenceConfig inference(int batchSize, long seed) {
    return new InferenceConfig(InferenceConfig.CURRENT_VERSION, "djl", Device.CPU, Map.of(), 8,
        batchSize, seed);
  }

  /** The built-in task plug-ins plus {@code extra}. */
  static TaskRegistry registry(TaskPlugin... extra) {
    List<TaskPlugin> plugins = new ArrayList<>();
    ServiceLoader.load(TaskPlugin.class, PredictFixtures.class.getClassLoader())
        .forEach(plugins::add);
    plugins.addAll(List.of(extra));
    return TaskRegistry.of(plugins);
  }

  /** An RGB image of one grey level (so a scripted model can tell images apart). */
  static ImageTensor flat(int width, int height, float value) {
    float[] px = new float[3 * width * height];
    Arrays.fill(px, value);
    return new ImageTensor(px, 3, height, width);
  }

  /** An RGB image with a smooth gradient, so that resampling differences show. */
  static ImageTensor gradient(int width, int height) {
    float[] px = new float[3 * width * height];
    int plane = width * height;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        px[y * width + x] = (float) x / width;
        px[plane + y * width + x] = (float) y / height;
        px[2 * plane + y * width + x] = ((x * 7 + y * 13) % 17) / 17f;
      }
    }
    return new ImageTensor(px, 3, height, width);
  }
}
