package com.example.pix2seq.count;

/**
 * A counted number of objects.
 *
 * @param count number of objects (0 when nothing could be read)
 * @param score probability of the count token
 */
public record ObjectCount(int count, double score) {}
