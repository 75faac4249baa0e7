/**
 * Image files of a dataset: safe resolution of COCO {@code file_name}s, PNG/JPEG decoding to
 * RGB, conversion to and from {@link dev.pix2seq.api.value.ImageTensor}, deterministic PNG
 * writing.
 */
package dev.pix2seq.data.image;
