/**
 * Backend selection by name: {@link dev.pix2seq.api.model.BackendProvider}s found with {@link
 * java.util.ServiceLoader}, each wired through its own Guice module.
 */
package dev.pix2seq.runtime.backend;
