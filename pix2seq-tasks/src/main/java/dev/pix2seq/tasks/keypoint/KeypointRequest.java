package dev.pix2seq.tasks.keypoint;

import dev.pix2seq.tasks.InstanceRequest;

/**
 * A request for the keypoints of one instance.
 *
 * @param instance the instance's box and category (the prompt); the category must have a
 *     keypoint schema in the vocabulary
 * @param invisibleAllowed whether generation may emit INVISIBLE pairs (the training requests
 *     allow it; at inference the reference suppresses it, so every keypoint gets a location)
 */
public record KeypointRequest(InstanceRequest instance, boolean invisibleAllowed) {

  public KeypointRequest {
    if (instance == null) {
      throw new IllegalArgumentException("keypoint request needs an instance");
    }
  }

  /** The inference request: INVISIBLE suppressed. */
  public static KeypointRequest forInference(InstanceRequest instance) {
    return new KeypointRequest(instance, false);
  }
}
