/**
 * Draws annotations and predictions on images: boxes with labels, masks, keypoints with their
 * skeleton, captions. Used by the CLI's annotated PNGs.
 */
package dev.pix2seq.data.render;
