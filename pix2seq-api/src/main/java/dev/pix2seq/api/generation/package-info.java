/**
 * Backend-neutral generation: {@link dev.pix2seq.api.generation.SequenceGenerator} completes a
 * batch of prompts against encoded images with any {@link
 * dev.pix2seq.api.model.SequenceDecoder}, masking every step with the task's constraint and
 * choosing tokens by sampling or beam search.
 */
package dev.pix2seq.api.generation;
