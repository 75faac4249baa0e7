/**
 * Binary masks in COCO run-length encoding: encoding, decoding, area, bounding box, union and
 * intersection, polygon and box rasterisation, and mask/box IoU, all computing exactly what
 * pycocotools' mask API computes (run walking, rounding and quirks included).
 */
package dev.pix2seq.api.mask;
