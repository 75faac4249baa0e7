/**
 * The backend-neutral definition of the network's parameters: every tensor's checkpoint name,
 * shape, initialiser and weight-decay flag ({@link dev.pix2seq.api.network.ParameterLayout}),
 * the conv-stem geometry and the fixed sin-cos position table. Each backend builds its network
 * from these, so names and shapes cannot drift apart ({@code docs/checkpoint-format.md}).
 */
package dev.pix2seq.api.network;
