/**
 * The backend-neutral weight format: named float32 tensors in safetensors files, as stored in
 * every checkpoint directory ({@code weights.safetensors}, {@code train-state/}); NumPy's
 * {@code .npy} arrays; and the protobuf wire format that other model files are made of
 * (sentencepiece models, TensorFlow checkpoint indexes), read and written without a protobuf
 * library.
 */
package dev.pix2seq.api.checkpoint;
