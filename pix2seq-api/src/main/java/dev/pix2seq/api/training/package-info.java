/**
 * The training SPI: batches of one task, the backend's optimiser step ({@link
 * dev.pix2seq.api.training.ModelTrainer}) and the learning-rate schedule shared by every backend.
 */
package dev.pix2seq.api.training;
