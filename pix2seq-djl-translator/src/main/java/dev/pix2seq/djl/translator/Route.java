package dev.pix2seq.djl.translator;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.modality.cv.output.Joints;
import ai.djl.ndarray.NDManager;
import dev.pix2seq.api.value.Caption;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.Detection;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.api.value.Keypoints;
import dev.pix2seq.runtime.predict.KeypointPrediction;
import dev.pix2seq.runtime.predict.MaskPrediction;
import dev.pix2seq.runtime.predict.ObjectInstance;
import dev.pix2seq.runtime.predict.Pix2seqPredictor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One way through the model for a pair of DJL types: which tasks it runs (and so which the
 * checkpoint must have been trained on) and how a batch of inputs becomes outputs.
 *
 * @param input the DJL input type
 * @param output the DJL output type
 * @param task the task named by the {@code task} argument for this route
 * @param needs the tasks it runs, in order
 * @param prediction how a batch of inputs becomes outputs
 * @param <I> the input type
 * @param <O> the output type
 */
record Route<I, O>(
    Class<I> input, Class<O> output, String task, List<String> needs,
    BatchPrediction<I, O> prediction) {

  /** Predicts outputs for a batch of inputs, one output per input, in order. */
  @FunctionalInterface
  interface BatchPrediction<I, O> {
    List<O> predict(
        Pix2seqPredictor predictor, DjlConverter converter, NDManager manager, List<I> inputs);
  }

  Route {
    needs = List.copyOf(needs);
  }

  /** Image to objects with relative boxes. */
  static final Route<Image, DetectedObjects> DETECT = new Route<>(
      Image.class, DetectedObjects.class, "detect", List.of("detect"),
      (predictor, converter, manager, inputs) -> {
        List<ImageTensor> images = tensors(inputs, manager);
        List<List<Detection>> found = predictor.detectAll(images);
        List<DetectedObjects> out = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
          out.add(converter.toDetectedObjects(
              found.get(i), images.get(i).width(), images.get(i).height()));
        }
        return out;
      });

  /** Image to detected objects, each with its mask. */
  static final Route<Image, DetectedObjects> SEGMENT_DETECTED = new Route<>(
      Image.class, DetectedObjects.class, "segment", List.of("detect", "segment"),
      (predictor, converter, manager, inputs) -> {
        List<ImageTensor> images = tensors(inputs, manager);
        List<List<ObjectInstance>> objects =
            predictor.detectAll(images).stream().map(ObjectInstance::of).toList();
        return masked(predictor, converter, images, objects);
      });

  /** Image and given objects to the same objects, each with its mask. */
  static final Route<ImageObjects, DetectedObjects> SEGMENT_GIVEN = new Route<>(
      ImageObjects.class, DetectedObjects.class, "segment", List.of("segment"),
      (predictor, converter, manager, inputs) -> {
        List<ImageTensor> images = tensors(inputs.stream().map(ImageObjects::image).toList(),
            manager);
        return masked(predictor, converter, images, instances(converter, inputs, images));
      });

  /** Image and given objects to the keypoints of each object. */
  static final Route<ImageObjects, Joints[]> KEYPOINT_GIVEN = new Route<>(
      ImageObjects.class, Joints[].class, "keypoint", List.of("keypoint"),
      (predictor, converter, manager, inputs) -> {
        List<ImageTensor> images = tensors(inputs.stream().map(ImageObjects::image).toList(),
            manager);
        return joints(predictor, images, instances(converter, inputs, images));
      });

  /** Image to the keypoints of every detected object whose category has a keypoint schema. */
  static final Route<Image, Joints[]> KEYPOINT_DETECTED = new Route<>(
      Image.class, Joints[].class, "keypoint", List.of("detect", "keypoint"),
      (predictor, converter, manager, inputs) -> {
        List<ImageTensor> images = tensors(inputs, manager);
        Set<Integer> withSchema = predictor.vocabulary().categories().stream()
            .filter(c -> c.keypoints() != null).map(Category::id).collect(Collectors.toSet());
        List<List<ObjectInstance>> objects = predictor.detectAll(images).stream()
            .map(found -> found.stream().filter(d -> withSchema.contains(d.categoryId()))
                .map(ObjectInstance::of).toList())
            .toList();
        return joints(predictor, images, objects);
      });

  /** Image to a caption. */
  static final Route<Image, String> DESCRIBE = new Route<>(
      Image.class, String.class, "describe", List.of("describe"),
      (predictor, converter, manager, inputs) ->
          predictor.describeAll(tensors(inputs, manager)).stream().map(Caption::text).toList());

  /** Every route; the first route of a type pair is its default. */
  static final List<Route<?, ?>> ALL = List.of(
      DETECT, SEGMENT_DETECTED, SEGMENT_GIVEN, KEYPOINT_GIVEN, KEYPOINT_DETECTED, DESCRIBE);

  /**
   * The route for a type pair and an optional task.
   *
   * @param task the {@code task} argument, or null for the pair's default
   * @throws IllegalArgumentException if no route takes these types, or none of them runs the
   *     task; the message lists what is possible
   */
  @SuppressWarnings("unchecked")
  static <I, O> Route<I, O> find(Class<I> input, Class<O> output, String task) {
    List<Route<?, ?>> candidates =
        ALL.stream().filter(r -> r.input.equals(input) && r.output.equals(output)).toList();
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("pix2seq translators do not take "
          + input.getSimpleName() + " -> " + output.getSimpleName() + "; supported: "
          + ALL.stream().map(Route::types).distinct().collect(Collectors.joining(", ")));
    }
    for (Route<?, ?> r : candidates) {
      if (task == null || r.task.equals(task)) {
        return (Route<I, O>) r;
      }
    }
    throw new IllegalArgumentException("task '" + task + "' does not apply to "
        + candidates.get(0).types() + "; expected one of "
        + candidates.stream().map(Route::task).toList());
  }

  /** The type pair as {@code Input -> Output}. */
  String types() {
    return input.getSimpleName() + " -> " + output.getSimpleName();
  }

  @Override
  public String toString() {
    return types() + " (" + String.join(", ", needs) + ")";
  }

  private static List<ImageTensor> tensors(List<Image> images, NDManager manager) {
    return images.stream().map(image -> DjlConverter.toTensor(image, manager)).toList();
  }

  private static List<List<ObjectInstance>> instances(
      DjlConverter converter, List<ImageObjects> inputs, List<ImageTensor> images) {
    List<List<ObjectInstance>> out = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      out.add(converter.toInstances(
          inputs.get(i).objects(), images.get(i).width(), images.get(i).height()));
    }
    return out;
  }

  private static List<DetectedObjects> masked(Pix2seqPredictor predictor,
      DjlConverter converter, List<ImageTensor> images, List<List<ObjectInstance>> objects) {
    List<List<MaskPrediction>> masks = predictor.segmentAll(images, objects);
    List<DetectedObjects> out = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      out.add(converter.toMaskedObjects(
          masks.get(i), images.get(i).width(), images.get(i).height()));
    }
    return out;
  }

  private static List<Joints[]> joints(Pix2seqPredictor predictor, List<ImageTensor> images,
      List<List<ObjectInstance>> objects) {
    List<List<KeypointPrediction>> found = predictor.keypointsAll(images, objects);
    List<Joints[]> out = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      List<KeypointPrediction> perImage = found.get(i);
      Joints[] joints = new Joints[perImage.size()];
      for (int k = 0; k < joints.length; k++) {
        Keypoints points = perImage.get(k).keypoints();
        joints[k] = DjlConverter.toJoints(points, images.get(i).width(), images.get(i).height());
      }
      out.add(joints);
    }
    return out;
  }
}
