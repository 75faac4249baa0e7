/**
 * Task plug-ins: the codecs that turn each vision task into "complete this sequence", and their
 * discovery.
 *
 * <p>A task is a {@link dev.pix2seq.tasks.TaskPlugin} found by {@link java.util.ServiceLoader};
 * its side-effect-free Guice module contributes a {@link dev.pix2seq.tasks.TaskCodecFactory} to
 * a {@code MapBinder<String, TaskCodecFactory>} (see {@link dev.pix2seq.tasks.TaskBindings}).
 * {@link dev.pix2seq.tasks.TaskRegistry} discovers the plug-ins and builds codecs by task name
 * from a {@link dev.pix2seq.tasks.TaskContext} (the vocabulary and per-task options).
 *
 * <p>The built-in tasks live in the sub-packages {@code detect}, {@code segment}, {@code
 * keypoint} and {@code describe}. Every codec works in normalised coordinates (0..1 over the
 * padded square model input) and writes y before x.
 */
package dev.pix2seq.tasks;
