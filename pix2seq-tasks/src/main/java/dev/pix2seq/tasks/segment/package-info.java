/**
 * Instance segmentation as a sequence: {@code [segment] box class} then the vertices {@code y x}
 * of each polygon, polygons separated by {@code SEP}, then {@code EOS} (see {@link
 * dev.pix2seq.tasks.segment.SegmentationCodec}); plus the rasterising and mask voting that turn
 * several sampled polygon masks into one.
 */
package dev.pix2seq.tasks.segment;
