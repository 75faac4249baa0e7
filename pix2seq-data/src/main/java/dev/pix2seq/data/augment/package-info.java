/**
 * Augmentation that moves pixels and annotations together. A sample is an {@link
 * dev.pix2seq.data.augment.AnnotatedImage} (an RGB {@link dev.pix2seq.api.value.ImageTensor}, its
 * instances with box, polygons and keypoints, its captions); each {@link
 * dev.pix2seq.data.augment.Augmentation} returns a new sample whose annotations describe the new
 * pixels exactly.
 *
 * <p>Coordinates are continuous pixel coordinates: pixel column {@code i} covers {@code [i, i+1)}
 * and its centre is {@code i + 0.5}; an image of width {@code W} spans {@code [0, W]}. Every
 * operation maps pixels and coordinates by the same affine map, so a point drawn on the image
 * stays under its transformed coordinates.
 *
 * <p>{@link dev.pix2seq.data.augment.OfficialResize}, {@link
 * dev.pix2seq.data.augment.OfficialPad} and {@link dev.pix2seq.data.augment.OfficialKeypointCrop}
 * are the official Pix2seq evaluation steps (TensorFlow's antialiased resize and size rounding,
 * its padding arithmetic, the keypoint task's {@code crop_to_bbox} window), reproduced bit for
 * bit for models of the official network; training never uses them.
 *
 * <pre>{@code
 * Augmentation train = Augmentation.chain(
 *     ScaleJitter.ofTarget(640, 0.3, 2.0),
 *     FixedSizeCrop.of(640, 640),
 *     HorizontalFlip.of(categories, 0.5),
 *     PadToSquare.grey(640));
 * AnnotatedImage input = train.apply(sample, new SplittableRandom(seed));
 * }</pre>
 */
package dev.pix2seq.data.augment;
