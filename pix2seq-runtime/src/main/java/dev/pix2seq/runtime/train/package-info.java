/**
 * The backend-neutral training loop: a COCO-format dataset becomes per-task training examples
 * (augmented, tokenised), padded into {@link dev.pix2seq.api.training.TrainingBatch}es, mixed
 * over tasks and fed to a backend's {@link dev.pix2seq.api.training.ModelTrainer}, with
 * checkpoints, metrics, a progress bar and exact resume.
 *
 * <p>Every random choice of step {@code s} (task, images, augmentation, sequence noise) is drawn
 * from a generator seeded by {@code (seed, s)} only, so a resumed run needs nothing but the step
 * count to continue with exactly the batches an uninterrupted run would have used, and the
 * background thread that prepares the next step's batches cannot change them by its timing.
 */
package dev.pix2seq.runtime.train;
