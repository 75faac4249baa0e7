/**
 * Backend-neutral token samplers over one row of (already constrained) logits: greedy,
 * temperature, top-k and top-p.
 */
package dev.pix2seq.api.sampling;
