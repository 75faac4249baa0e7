"""Runs the official Pix2seq model on a checkpoint in the released layout.

Builds the official multi-task ViT network with the official code (through the
Keras 3 shim of make_golden.py), loads every model variable of a checkpoint
written in the released key layout (for example one written by pix2seq-java's
ReleasedCheckpointWriter, or a real released checkpoint), and

  * writes the teacher-forced logits of `model(images, tokens, training=False)`
    for IMAGES.npy / TOKENS.npy (as `pix2seq logits` does), and/or
  * times image -> tokens inference (`model.infer`, greedy) at batch 1 and 8, and/or
  * times image -> detections of one photo through the official detection task
    (the eval transforms, `TaskObjectDetection.infer`: 500 tokens at top-p 0.4,
    and `postprocess_tpu`: classes, scores, boxes in pixels), batch 1.

Usage:
  python run_released.py --official-src DIR --checkpoint PREFIX --image-size 640 \
      [--images IMAGES.npy --tokens TOKENS.npy --out LOGITS.npy] \
      [--time --generate 100 --repeat 3] [--detect PHOTO.jpg --repeat 3]
"""

import argparse
import json
import os
import time

import numpy as np

import make_golden


def main():
  parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
  parser.add_argument('--official-src', required=True)
  parser.add_argument('--checkpoint', required=True, help='ckpt-N prefix')
  parser.add_argument('--image-size', type=int, default=640)
  parser.add_argument('--images')
  parser.add_argument('--tokens')
  parser.add_argument('--out')
  parser.add_argument('--time', action='store_true')
  parser.add_argument('--generate', type=int, default=100)
  parser.add_argument('--repeat', type=int, default=3)
  parser.add_argument('--batches', default='1,8')
  parser.add_argument('--detect', help='a photo: time the official detection task on it')
  parser.add_argument('--json')
  args = parser.parse_args()
  make_golden.install_shim(args.official_src)
  tf = make_golden.tf

  config = make_golden.build_config(small=False)
  if args.image_size != 640:
    make_golden._replace_image_size(config, (640, 640), (args.image_size, args.image_size))  # pylint: disable=protected-access
  size = args.image_size
  reader = tf.train.load_checkpoint(args.checkpoint)
  vocab = reader.get_variable_to_shape_map()[
      'model/decoder/ar_decoder.Stoken_embedding/.ATTRIBUTES/VARIABLE_VALUE'][0]
  config.model.vocab_size = vocab
  model = make_golden.build_model(
      config, tf.zeros([1, size, size, 3]), tf.zeros([1, 1], tf.int64))
  keys = make_golden.keras2_variable_keys(model)
  for key, var, _ in keys:
    var.assign(reader.get_tensor(key + '/.ATTRIBUTES/VARIABLE_VALUE'))
  print('loaded %d variables from %s' % (len(keys), args.checkpoint))

  if args.images:
    images = np.load(args.images).astype(np.float32)
    tokens = np.load(args.tokens).astype(np.int64)
    logits = model(tf.constant(images), tf.constant(tokens), training=False).numpy()
    np.save(args.out, logits.astype(np.float32))
    print('wrote %s %s' % (args.out, logits.shape))

  if args.detect:
    time_detection(args, config, model, tf)

  if args.time:
    report = {'image_size': size, 'generated_tokens': args.generate,
              'tensorflow': tf.__version__, 'rows': []}
    rng = np.random.default_rng(0)
    for batch in [int(b) for b in args.batches.split(',')]:
      images = tf.constant(rng.uniform(size=(batch, size, size, 3)).astype(np.float32))
      prompt = tf.constant(np.full((batch, 1), 10, np.int64))
      infer = tf.function(lambda im, p: model.infer(
          im, p, max_seq_len=1 + args.generate, temperature=1.0, top_k=1, top_p=1.0))
      encode = tf.function(lambda im: model._encode_images(im, training=False))  # pylint: disable=protected-access
      infer(images, prompt)[0].numpy()
      encode(images).numpy()
      totals, encodes = [], []
      for _ in range(args.repeat):
        t = time.perf_counter()
        encode(images).numpy()
        encodes.append(time.perf_counter() - t)
        t = time.perf_counter()
        infer(images, prompt)[0].numpy()
        totals.append(time.perf_counter() - t)
      row = {'batch': batch, 'image_to_tokens_s': float(np.median(totals)),
             'encode_s': float(np.median(encodes)),
             'all_s': [float(x) for x in totals]}
      report['rows'].append(row)
      print('batch %d: image -> %d tokens %.2f s (median of %d; encoder %.2f s)' % (
          batch, args.generate, row['image_to_tokens_s'], args.repeat, row['encode_s']))
    if args.json:
      with open(args.json, 'w') as f:
        json.dump(report, f, indent=1)


def time_detection(args, config, model, tf):
  """Image file -> detections in pixels through the official detection task."""
  import copy  # pylint: disable=g-import-not-at-top
  official = make_golden.official
  official('tasks.object_detection')
  task_lib = official('tasks.task')
  transforms = official('data.transforms')
  task_config = [t for t in config.tasks if t.name == 'object_detection'][0]
  cfg = copy.deepcopy(config)
  cfg.task = copy.deepcopy(task_config)
  cfg.task.metric = None
  cfg.dataset = copy.deepcopy(config.datasets[0])
  cfg.dataset.category_names_path = ''
  task = task_lib.TaskRegistry.lookup('object_detection')(cfg)
  steps = [transforms.TransformRegistry.lookup(t.name)(t) for t in task_config.eval_transforms
           if t.name != 'truncate_or_pad_to_max_instances']  # ground-truth fields only
  data = tf.io.read_file(args.detect)

  def preprocess():
    image = tf.image.convert_image_dtype(tf.io.decode_image(data, channels=3), tf.float32)
    example = {'image': image, 'image/id': tf.constant(1, tf.int64), 'bbox': tf.zeros([0, 4]),
               'label': tf.zeros([0], tf.int64), 'area': tf.zeros([0]),
               'is_crowd': tf.zeros([0], tf.bool)}
    for step in steps:
      example = step.process_example(example)
    return {k: tf.expand_dims(v, 0) for k, v in example.items()}

  @tf.function
  def detect(examples):
    examples, pred_seq, logits = task.infer(model, (examples['image'], None, examples))
    out = task.postprocess_tpu(examples, pred_seq, logits)
    return out

  def once():
    out = detect(preprocess())
    return [o.numpy() if hasattr(o, 'numpy') else o for o in out]

  once()
  totals = []
  for _ in range(args.repeat):
    t = time.perf_counter()
    out = once()
    totals.append(time.perf_counter() - t)
  print('image -> detections (%s, %d slots): %.2f s (median of %d: %s)' % (
      args.detect, task_config.max_instances_per_image_test, float(np.median(totals)),
      args.repeat, ', '.join('%.2f' % x for x in totals)))
  print('output shapes: %s' % [np.shape(o) for o in out])


if __name__ == '__main__':
  main()
