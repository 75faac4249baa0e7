/** Backend-neutral contracts of pix2seq-java. */
package dev.pix2seq.api;
