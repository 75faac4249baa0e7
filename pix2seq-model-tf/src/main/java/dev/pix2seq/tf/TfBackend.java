package dev.pix2seq.tf;

import dev.pix2seq.api.model.AbstractBackend;
import dev.pix2seq.api.model.ModelExporter;
import dev.pix2seq.api.model.Pix2seqModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The Pix2seq network in TensorFlow Java (graph mode). Creating the backend does no work; the
 * native library loads on the first {@link #create} or {@link #load}. Weights use the
 * backend-neutral names and layouts of {@code docs/checkpoint-format.md}, so a checkpoint saved
 * by either backend loads in the other and gives the same logits.
 *
 * <p>Each model is one TensorFlow graph and session with the weights as resource variables; an
 * encode, a decoding step (keys and values of earlier positions fed back as tensors) and a
 * training step are one {@code Session.run} each. Thread safety: {@code encode}, {@code open}
 * and {@code logits} of a model may run on several threads at once; a session or features
 * object belongs to one thread at a time; creating a trainer and training steps must not
 * overlap other use of the model. {@link SavedModelExport} writes a model for TensorFlow
 * serving.
 *
 * <pre>{@code
 * Backend backend = new TfBackend();
 * try (Pix2seqModel model = backend.create(ModelConfig.preset("tiny"), vocabSize, Device.CPU, 42);
 *     ImageFeatures features = model.encoder().encode(images);
 *     DecodingSession session = model.decoder().open(features, new int[] {0})) {
 *   float[][] logits = session.feed(new int[][] {prompt});
 * }
 * }</pre>
 */
public final class TfBackend extends AbstractBackend<TfModel> {

  /** The backend's name in configs: {@value}. */
  public static final String NAME = "tf";

  /** {@link SavedModelExport} as an export format. */
  private static final ModelExporter SAVED_MODEL = new ModelExporter() {
    @Override
    public String format() {
      return SavedModelExport.FORMAT;
    }

    @Override
    public String description() {
      return "a TensorFlow SavedModel with the signatures encode (images -> memory), logits "
          + "(memory, image_of_row, tokens -> logits) and serving_default (images, tokens -> "
          + "logits)";
    }

    @Override
    public void export(Pix2seqModel model, Path out) throws IOException {
      SavedModelExport.export(model, out);
    }
  };

  public TfBackend() {
    super(NAME, TfModel.class, TfModel::of, TfModelTrainer::new);
  }

  /** {@code savedmodel}: {@link SavedModelExport}. */
  @Override
  public List<ModelExporter> exporters() {
    return List.of(SAVED_MODEL);
  }
}
