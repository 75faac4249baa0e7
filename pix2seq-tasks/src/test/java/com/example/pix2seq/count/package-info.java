/**
 * A user's fifth task, written outside pix2seq's packages and registered only through {@code
 * META-INF/services/dev.pix2seq.tasks.TaskPlugin}: {@code count} answers "how many objects?" with
 * one coordinate-bin token (bin {@code q} meaning {@code q} objects) and EOS.
 */
package com.example.pix2seq.count;
