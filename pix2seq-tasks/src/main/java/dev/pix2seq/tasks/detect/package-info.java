/**
 * Object detection as a sequence: {@code [detect]} then {@code ymin xmin ymax xmax class} per
 * object, then {@code EOS} (see {@link dev.pix2seq.tasks.detect.DetectionCodec}).
 */
package dev.pix2seq.tasks.detect;
