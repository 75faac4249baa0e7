package dev.pix2seq.djl.translator;

import ai.djl.ndarray.NDList;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.util.List;

/**
 * A DJL translator that runs a pix2seq task. Pix2seq decodes token by token, which is no single
 * forward pass of a DJL block, so the work happens in {@link #batchProcessOutput}: the inputs
 * are kept in the context and the block gets an empty list (DJL's predictor skips the block for
 * an empty input). A batch of inputs ({@code Predictor.batchPredict}) is predicted as one
 * batch. Shared by every predictor of its model; thread-safe.
 *
 * @param <I> the input type
 * @param <O> the output type
 */
final class Pix2seqTranslator<I, O> implements Translator<I, O> {
  private static final String INPUTS = "pix2seq.inputs";

  private final CheckpointHandle handle;
  private final Route<I, O> route;

  Pix2seqTranslator(CheckpointHandle handle, Route<I, O> route) {
    this.handle = handle;
    this.route = route;
  }

  CheckpointHandle handle() {
    return handle;
  }

  @Override
  public NDList processInput(TranslatorContext ctx, I input) {
    ctx.setAttachment(INPUTS, List.of(input));
    return new NDList();
  }

  @Override
  public O processOutput(TranslatorContext ctx, NDList list) {
    return predict(ctx).get(0);
  }

  @Override
  public NDList batchProcessInput(TranslatorContext ctx, List<I> inputs) {
    ctx.setAttachment(INPUTS, List.copyOf(inputs));
    return new NDList();
  }

  @Override
  public List<O> batchProcessOutput(TranslatorContext ctx, NDList list) {
    return predict(ctx);
  }

  private List<O> predict(TranslatorContext ctx) {
    @SuppressWarnings("unchecked")
    List<I> inputs = (List<I>) ctx.getAttachment(INPUTS);
    if (inputs == null) {
      throw new IllegalStateException(
          "no inputs in the translator context: processInput must run before processOutput");
    }
    return route.prediction().predict(
        handle.predictor(), handle.converter(), ctx.getNDManager(), inputs);
  }

  @Override
  public String toString() {
    return "Pix2seqTranslator[" + route + ", " + handle.directory() + "]";
  }
}
