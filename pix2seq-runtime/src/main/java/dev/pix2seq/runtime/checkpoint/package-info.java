/**
 * Checkpoint directories, shared by every backend (DESIGN.md section 6).
 *
 * <p>A checkpoint is one directory:
 *
 * <pre>
 *   model.json            format, ModelConfig, VocabLayout, categories, vocabulary size, tasks,
 *                         per-task options and provenance (written last: it marks a complete
 *                         checkpoint)
 *   vocab.json            layout and categories ({@link dev.pix2seq.tokenizer.Vocabulary#save})
 *   tokenizer.json        the caption tokenizer
 *   weights.safetensors   every parameter by its backend-neutral name
 *   train-state/          only when saved by training: the optimiser state of the backend's
 *                         trainer and the loop state of the training run
 * </pre>
 *
 * <p>A training run directory holds its checkpoint in {@code RUN/checkpoint/}, next to files
 * that outlive every checkpoint ({@code metrics.jsonl}); {@link
 * dev.pix2seq.runtime.checkpoint.Checkpoint#resolve} accepts either the run or the checkpoint
 * directory. Saving is atomic: the new checkpoint is written into a sibling directory and
 * swapped in by renames, so a crash leaves either the old or the new checkpoint, never half of
 * one.
 */
package dev.pix2seq.runtime.checkpoint;
