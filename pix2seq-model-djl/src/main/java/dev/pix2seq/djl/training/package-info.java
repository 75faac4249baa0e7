/**
 * Training pieces of the DJL backend (internal): the weighted token cross-entropy and AdamW
 * written over NDArrays.
 */
package dev.pix2seq.djl.training;
