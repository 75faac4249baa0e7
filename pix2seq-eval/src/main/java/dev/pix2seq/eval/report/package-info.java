/** Evaluation reports: precision/recall curves drawn with JFreeChart. */
package dev.pix2seq.eval.report;
