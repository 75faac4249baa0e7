/**
 * Immutable value types shared by every module: images, boxes, masks, keypoints, captions,
 * detections and token sequences.
 *
 * <p>Units: geometry is in pixels of the image it belongs to, unless a method or a codec says
 * it works in normalised coordinates (0..1 over the padded square model input).
 */
package dev.pix2seq.api.value;
