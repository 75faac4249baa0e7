/** The TensorFlow Java backend. */
package dev.pix2seq.tf;
