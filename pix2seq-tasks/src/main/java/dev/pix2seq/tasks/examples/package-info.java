/**
 * Training examples: turns an annotated dataset image into a model-input image plus one task's
 * training sequence (augmentation, padding to the square input, normalisation to 0..1, the
 * keypoint context crop), one {@link dev.pix2seq.tasks.examples.ExampleBuilder} per task.
 */
package dev.pix2seq.tasks.examples;
