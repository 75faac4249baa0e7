/**
 * DJL-native use of pix2seq checkpoints through {@code Criteria} and {@code Translator}s: a DJL
 * user loads a checkpoint or training run directory as a {@code ZooModel} and predicts DJL's own
 * output types, with coordinates relative to the image.
 *
 * <pre>{@code
 * try (ZooModel<Image, DetectedObjects> model = Pix2seqCriteria.detection(run).loadModel();
 *     Predictor<Image, DetectedObjects> predictor = model.newPredictor()) {
 *   DetectedObjects objects = predictor.predict(image);
 *   image.drawBoundingBoxes(objects);
 * }
 * }</pre>
 *
 * <p>{@link dev.pix2seq.djl.translator.Pix2seqCriteria} builds criteria for each task; {@link
 * dev.pix2seq.djl.translator.Pix2seqTranslatorFactory} serves criteria a user builds; {@link
 * dev.pix2seq.djl.translator.ImageObjects} is the input of the instance-level tasks. The
 * checkpoint is loaded once per {@code ZooModel} and released when it closes.
 */
package dev.pix2seq.djl.translator;
