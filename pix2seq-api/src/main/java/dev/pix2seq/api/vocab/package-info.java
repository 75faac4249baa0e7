/**
 * The layout of the unified vocabulary (which id ranges hold which kind of token) and token
 * sets used by decoding constraints.
 */
package dev.pix2seq.api.vocab;
