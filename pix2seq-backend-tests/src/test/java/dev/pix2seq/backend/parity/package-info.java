/**
 * Cross-backend parity (DESIGN.md section 6, one checkpoint, two engines): weights and
 * optimiser state written by one backend load in the other and give the same logits, greedy
 * responses and training losses. Needs both backends on the test class path; each test skips
 * while one is missing.
 */
package dev.pix2seq.backend.parity;
