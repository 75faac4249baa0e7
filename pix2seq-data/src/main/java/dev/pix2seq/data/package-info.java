/**
 * Datasets: the COCO data model and its JSON reader and writer, image files, the synthetic
 * scene generator and augmentation that moves pixels and annotations together.
 */
package dev.pix2seq.data;
