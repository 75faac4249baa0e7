/**
 * The backend-neutral weight format: named float32 tensors in safetensors files, as stored in
 * every checkpoint directory ({@code weights.safetensors}, {@code train-state/}).
 */
package dev.pix2seq.api.checkpoint;
