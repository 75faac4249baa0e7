/**
 * The task plug-in SPI: a {@link dev.pix2seq.api.task.TaskCodec} turns annotations into training
 * sequences, requests into prompts, constrains generation and decodes generated tokens.
 */
package dev.pix2seq.api.task;
