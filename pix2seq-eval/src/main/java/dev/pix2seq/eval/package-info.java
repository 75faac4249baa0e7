/** COCO metrics, BLEU and CIDEr-D. */
package dev.pix2seq.eval;
