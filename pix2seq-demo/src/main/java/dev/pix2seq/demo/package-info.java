/**
 * The end-to-end demo: {@link dev.pix2seq.demo.DemoRun} writes synthetic scenes, trains one
 * model on all four tasks under a time budget ({@link dev.pix2seq.demo.DemoRecipe} holds every
 * choice), evaluates it on held-out scenes ({@link dev.pix2seq.demo.eval}) and writes a report
 * with metrics, loss and precision/recall curves and annotated pictures ({@link
 * dev.pix2seq.demo.DemoReport}); optionally beside single-task models trained on the same
 * budget.
 */
package dev.pix2seq.demo;
