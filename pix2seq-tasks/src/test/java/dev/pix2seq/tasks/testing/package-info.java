/** Test fixtures shared by the codec tests: a word tokenizer, vocabularies, random sequences. */
package dev.pix2seq.tasks.testing;
