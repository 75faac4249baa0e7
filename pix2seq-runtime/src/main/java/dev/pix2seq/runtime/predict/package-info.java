/**
 * The prediction pipeline over any backend: {@link dev.pix2seq.runtime.predict.Pix2seqPredictor}
 * prepares images exactly as training does (resize the longer side, pad bottom/right to a square
 * with 0.3 grey; keypoints first crop twice the person box), encodes them in batches, generates
 * every task's responses through the task codecs and maps the results back to the pixels of the
 * original image. {@link dev.pix2seq.runtime.predict.CocoResultsWriter} writes COCO results
 * files, {@link dev.pix2seq.runtime.predict.PredictionPainter} annotated pictures.
 */
package dev.pix2seq.runtime.predict;
