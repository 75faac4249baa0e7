/**
 * A deterministic generator of small synthetic scenes (coloured shapes and stick figures with
 * named keypoints) with exact COCO-style annotations and template captions, and a writer that
 * stores them as a COCO dataset on disk. Same options and seed, same bytes.
 *
 * <pre>{@code
 * SyntheticSceneGenerator gen = new SyntheticSceneGenerator(SceneOptions.defaults().withSeed(7));
 * SyntheticScene scene = gen.generate(0);
 * new SyntheticDatasetWriter(gen).write(Path.of("synth"), 2000);
 * }</pre>
 */
package dev.pix2seq.data.synth;
