/**
 * The backend contract suite, written once and run against every {@link
 * dev.pix2seq.api.model.Backend}: {@link dev.pix2seq.backend.contract.BackendContract} holds the
 * tests, a one-method subclass per backend runs them. Generated fixtures (tiny configs, random
 * images and token rows, a test constraint, a full-recompute greedy reference) live beside it so
 * that cross-backend tests reuse them.
 */
package dev.pix2seq.backend.contract;
