/**
 * Keypoint detection as a sequence: {@code [keypoint] box class} then {@code y x} (or {@code
 * INVISIBLE INVISIBLE}) per keypoint of the category's schema, then {@code EOS} (see {@link
 * dev.pix2seq.tasks.keypoint.KeypointCodec}).
 */
package dev.pix2seq.tasks.keypoint;
