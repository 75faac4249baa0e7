/**
 * Pieces of the demo's report: loss history and loss curves of a training run, and metric
 * values as JSON.
 */
package dev.pix2seq.demo.report;
