package dev.pix2seq.api.value;

/**
 * The pixels of one object instance: either polygons ({@link PolygonMask}) or COCO run-length
 * encoding ({@link RleMask}).
 */
public sealed interface InstanceMask permits PolygonMask, RleMask {}
