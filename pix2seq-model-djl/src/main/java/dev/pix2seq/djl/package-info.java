/** The DJL (PyTorch engine) backend. */
package dev.pix2seq.djl;
