/**
 * The backend SPI: image encoder, incremental sequence decoder, model handle and backend
 * discovery. Backends (DJL, TensorFlow Java) implement these; nothing above them changes.
 */
package dev.pix2seq.api.model;
