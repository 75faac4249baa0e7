package com.example.pix2seq.count;

/** A request to count the objects of an image. */
public record CountRequest() {}
