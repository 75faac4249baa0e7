/** Throughput benchmarks of a backend (decode with and without the cache, training). */
package dev.pix2seq.runtime.bench;
