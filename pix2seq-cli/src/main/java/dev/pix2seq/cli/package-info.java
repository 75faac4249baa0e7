/** The {@code pix2seq} command line (picocli): one class per command. */
package dev.pix2seq.cli;
