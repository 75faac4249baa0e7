/** The COCO data model (images, instance annotations, captions) and its JSON I/O. */
package dev.pix2seq.data.coco;
