"""Golden data for the official instance-task decoding (segmentation, keypoints).

Runs the official Pix2seq task classes (google-research/pix2seq, commit eabd4e9)
`TaskInstanceSegmentation` and `TaskKeypointDetection` of the multi-task
ViT-B 640 config on canned model outputs: a stand-in model whose `infer`
records the prompt it is given and returns fixed token rows (and, for
keypoints, fixed logits). Everything after the model is the official code:
the prompt built from the boxes, the INVISIBLE suppression, the point decoding,
scaling, crop offset and score (`postprocess_tpu`), and for segmentation the
polygon rasterisation and the 8-sample vote (`postprocess_cpu`, whose masks are
caught at `record_prediction`).

The logits are sparse (a base value everywhere plus listed entries), so the
Java test rebuilds them exactly. Each keypoint position keeps one token above
probability 0.1 after suppression, so the official resampling (unseeded) is
deterministic. Output: one JSON file (default
pix2seq-runtime/src/test/resources/official-golden/tasks.json).

    /work/venvs/official/bin/python tools/official-golden/make_task_golden.py \\
        --official-src /work/official-src
"""

import argparse
import copy
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_golden  # pylint: disable=g-import-not-at-top

SIDE = 640
VOCAB = 35000
SEP, INVISIBLE = 40, 41


class CannedModel:
  """Stands in for the official model: records prompts, returns fixed outputs."""

  def __init__(self, pred_seq, logits=None):
    self.pred_seq = pred_seq
    self.logits = logits
    self.prompts = []

  def infer(self, image, prompt_seq, encoded=None, max_seq_len=None,
            temperature=None, top_k=None, top_p=None, num_samples=1):
    tf = make_golden.tf
    self.prompts.append(dict(prompt=prompt_seq.numpy().tolist(), max_seq_len=max_seq_len,
                             top_p=float(top_p), num_samples=num_samples))
    seq = tf.constant(self.pred_seq, tf.int64)
    logits = None if self.logits is None else tf.constant(self.logits, tf.float32)
    return seq, logits, None


class MaskCatcher:
  def __init__(self):
    self.masks = None

  def record_prediction(self, image_ids, masks, classes, scores):
    self.masks = masks
    self.classes = classes.numpy().tolist()
    self.scores = scores.numpy().tolist()


def task_of(config, name):
  official = make_golden.official
  official('tasks.instance_segmentation')
  official('tasks.keypoint_detection')
  task_lib = official('tasks.task')
  for t in config.tasks:
    if t.name == name:
      cfg = copy.deepcopy(config)
      cfg.task = copy.deepcopy(t)
      cfg.task.metric = None
      cfg.dataset = copy.deepcopy(config.datasets[0])
      cfg.dataset.category_names_path = ''
      return task_lib.TaskRegistry.lookup(name)(cfg)
  raise SystemExit('no task %s in the config' % name)


def resized(h, w):
  tf = make_golden.tf
  return list(tf.image.resize(tf.zeros([h, w, 1]), [SIDE, SIDE],
                              preserve_aspect_ratio=True).shape[:2])


def coord(v):
  return 1000 + int(np.clip(np.round(v * 999), 0, 999))


def polygon_tokens(rng, k, cy, cx, r):
  """A star-shaped polygon of k vertices around (cy, cx), as (y, x) tokens."""
  out = []
  for i in range(k):
    a = 2 * np.pi * i / k
    rr = r * rng.uniform(0.5, 1.0)
    out += [coord(cy + rr * np.sin(a)), coord(cx + rr * np.cos(a))]
  return out


def segmentation_rows(rng, box):
  """8 responses of 256 tokens: polygons inside the box, some odd tokens."""
  y0, x0, y1, x1 = box
  cy, cx, r = (y0 + y1) / 2, (x0 + x1) / 2, min(y1 - y0, x1 - x0) / 2
  rows = []
  for s in range(8):
    seq = polygon_tokens(rng, int(rng.integers(5, 14)), cy, cx, r)
    if s % 3 == 1:  # a second part after a separator
      seq += [SEP, SEP] + polygon_tokens(rng, 4, cy + r / 3, cx - r / 3, r / 3)
    if s == 2:  # a lone separator token in one coordinate, a 2-point part
      seq += [SEP, coord(cx)] + [coord(cy), coord(cx), coord(cy + r / 4), coord(cx)]
    if s == 4:  # INVISIBLE kept as the literal -3, a class token and a text token
      seq += [INVISIBLE, coord(cx), 150, coord(cx), 2500, coord(cy)]
    if s == 5:  # token 1 reads as padding too
      seq += [1, coord(cx)] + polygon_tokens(rng, 5, cy, cx, r)
    seq += [0] * (256 - len(seq))
    if s == 6:  # noise after the end
      seq[len(seq) - 10:] = [coord(0.5)] * 10
    rows.append(seq[:256])
  return rows


def run_segmentation(config, rng):
  task = task_of(config, 'instance_segmentation')
  tf = make_golden.tf
  cases = []
  for h, w, boxes in [(333, 500, [[0.1, 0.2, 0.6, 0.7], [0.3, 0.05, 0.95, 0.5]]),
                      (641, 1280, [[0.2, 0.3, 0.9, 0.6]]),
                      (97, 61, [[0.0, 0.0, 1.0, 1.0]])]:
    hr, wr = resized(h, w)
    n = 10
    bbox = np.zeros([1, n, 4], np.float32)
    label = np.zeros([1, n], np.int64)
    scores = np.zeros([1, n], np.float32)
    for i, b in enumerate(boxes):
      # normalised by the image, then into the padded frame as pad_image_to_max_size does
      bbox[0, i] = np.array(b, np.float32) * np.array(
          [hr / SIDE, wr / SIDE, hr / SIDE, wr / SIDE], np.float32)
      label[0, i] = [1, 18, 44][i % 3]
      scores[0, i] = 0.9 - 0.2 * i
    rows = []
    for i in range(n):
      if i < len(boxes):
        rows += segmentation_rows(rng, bbox[0, i] * SIDE / np.array([hr, wr, hr, wr]))
      else:
        rows += [[0] * 256] * 8
    model = CannedModel(np.array(rows, np.int64))
    examples = {
        'image': tf.zeros([1, SIDE, SIDE, 3]),
        'image/id': tf.constant([7], tf.int64),
        'bbox': tf.constant(bbox), 'label': tf.constant(label),
        'scores': tf.constant(scores),
        'orig_image_size': tf.constant([[h, w]], tf.int32),
        'unpadded_image_size': tf.constant([[hr, wr]], tf.int32),
        'image_size_before_cropping': tf.constant([[h, w]], tf.int32),
    }
    examples_out, pred_seq, pred_classes, pred_bboxes, sc = task.infer(
        model, (examples['image'], None, examples))
    outputs = task.postprocess_tpu(examples_out, pred_seq, pred_classes, pred_bboxes, sc)
    catcher = MaskCatcher()
    task._coco_metrics = catcher  # pylint: disable=protected-access
    task.postprocess_cpu(outputs, train_step=0, eval_step=100, ret_results=False)
    from pycocotools import mask as mask_lib  # pylint: disable=g-import-not-at-top
    instances = []
    for i, b in enumerate(boxes):
      m = np.asfortranarray(catcher.masks[i].astype(np.uint8))
      rle = mask_lib.encode(m)
      instances.append(dict(
          box_normalised_by_image=b, category_id=int(label[0, i]),
          box_score=float(scores[0, i]),
          prompt=model.prompts[0]['prompt'][0][i],
          responses=rows[i * 8:(i + 1) * 8],
          mask_counts=rle['counts'].decode('ascii'), mask_area=int(m.sum()),
          score=float(np.reshape(catcher.scores, [-1])[i])))
    cases.append(dict(height=h, width=w, resized=[int(hr), int(wr)],
                      max_seq_len=model.prompts[0]['max_seq_len'],
                      top_p=model.prompts[0]['top_p'],
                      num_samples=model.prompts[0]['num_samples'],
                      instances=instances))
  return cases


def keypoint_logits(rng, tokens, spec):
  """Sparse logits: base 0; each position's sampled token high, INVISIBLE entries."""
  entries = []
  for j, t in enumerate(tokens):
    entries.append([j, int(t), float(np.round(rng.uniform(9, 12), 3))])
    if t == INVISIBLE:  # the replacement after suppression
      entries.append([j, spec.get(j, 1500 + 7 * j), 10.5])
    elif j % 5 == 0:  # INVISIBLE close behind: the suppression lowers it
      entries.append([j, INVISIBLE, 8.0])
  return entries


def dense(entries, positions):
  out = np.zeros([positions, VOCAB], np.float32)
  for j, t, v in entries:
    out[j, t] = v
  return out


def record_top_logits(calls):
  """Wraps the official top_logits so that its results on rank-3 logits are kept."""
  transformers = make_golden.official('architectures.transformers')
  original = getattr(transformers.top_logits, 'wrapped', transformers.top_logits)

  def recording(logits, k=0, p=1.0, mask=-1e10):
    out = original(logits, k=k, p=p, mask=mask)
    if logits.shape.rank == 3:
      calls.append(out.numpy())
    return out
  recording.wrapped = original
  transformers.top_logits = recording


def run_keypoints(config, rng):
  task = task_of(config, 'keypoint_detection')
  tf = make_golden.tf
  calls = []
  record_top_logits(calls)
  cases = []
  # (image h, w, crop offset y, x, crop h, w, box normalised by the crop)
  for h, w, off, crop, box in [(480, 640, (0, 169), (401, 124),
                                [0.25012, 0.25565, 0.74863, 0.74113]),
                               (300, 900, (20, 300), (250, 301),
                                [0.1, 0.2, 0.8, 0.9])]:
    hr, wr = resized(*crop)
    bbox = (np.array(box, np.float32) * np.array(
        [hr / SIDE, wr / SIDE, hr / SIDE, wr / SIDE], np.float32)).reshape([1, 1, 4])
    tokens = []
    for p in range(17):
      y = coord(bbox[0, 0, 0] + (bbox[0, 0, 2] - bbox[0, 0, 0]) * rng.uniform())
      x = coord(bbox[0, 0, 1] + (bbox[0, 0, 3] - bbox[0, 0, 1]) * rng.uniform())
      tokens += [y, x]
    tokens[4:6] = [INVISIBLE, INVISIBLE]       # suppressed, replaced by coordinates
    tokens[10:12] = [INVISIBLE, INVISIBLE]     # suppressed into INVISIBLE's stand-ins
    tokens[20:22] = [0, 0]                     # padding: (-1, -1), not scored
    tokens[26] = SEP                           # a separator in y
    spec = {10: 0, 11: 1999}                   # resampled to padding (y) and x = 1.0
    entries = keypoint_logits(rng, tokens, spec)
    logits = dense(entries, 34)[np.newaxis]
    model = CannedModel(np.array([tokens], np.int64), logits)
    examples = {
        'image': tf.zeros([1, SIDE, SIDE, 3]),
        'image/id': tf.constant([9], tf.int64),
        'bbox': tf.constant(bbox), 'label': tf.constant([[1]], tf.int64),
        'scores': tf.constant([[0.77]], tf.float32),
        'orig_image_size': tf.constant([list(crop)], tf.int32),
        'unpadded_image_size': tf.constant([[hr, wr]], tf.int32),
        'crop_offset': tf.constant([list(off)], tf.int32),
    }
    calls.clear()
    examples_out, pred_seq, lg, pred_classes, pred_bboxes, sc = task.infer(
        model, (examples['image'], None, examples))
    assert len(calls) == 1, 'expected one suppression pass'
    # The suppression's nucleus on the whole response: which ids it drops at the
    # positions that sampled INVISIBLE (the only positions whose draw is used).
    dropped = {j: np.nonzero(calls[0][0, j] <= -1e10)[0].tolist()
               for j, t in enumerate(tokens) if t == INVISIBLE}
    out = task.postprocess_tpu(examples_out, pred_seq, lg, pred_classes, pred_bboxes, sc)
    points_rescaled = out[4].numpy().reshape([-1]).tolist()
    scores = out[7].numpy().reshape([-1]).tolist()
    cases.append(dict(height=h, width=w, crop_offset=list(off), crop_size=list(crop),
                      resized=[int(hr), int(wr)],
                      box_normalised_by_crop=box, prompt_box=bbox.reshape([-1]).tolist(),
                      prompt=model.prompts[0]['prompt'][0],
                      max_seq_len=model.prompts[0]['max_seq_len'],
                      top_p=model.prompts[0]['top_p'],
                      tokens=tokens, logits_base=0.0, logit_entries=entries,
                      final_tokens=pred_seq.numpy().reshape([-1]).tolist(),
                      suppression_dropped=dropped,
                      points_yx=points_rescaled, score=scores[0]))
  return cases


def main():
  parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
  parser.add_argument('--official-src', required=True)
  parser.add_argument('--out', default=os.path.join(
      HERE, '..', '..', 'pix2seq-runtime', 'src', 'test', 'resources', 'official-golden',
      'tasks.json'))
  parser.add_argument('--seed', type=int, default=5)
  args = parser.parse_args()
  make_golden.install_shim(args.official_src)
  config = make_golden.official('configs.config_multi_task').get_config(
      make_golden.ALL_TASKS + ',vit-b')
  rng = np.random.default_rng(args.seed)
  golden = dict(source='google-research/pix2seq eabd4e9, configs/config_multi_task.py vit-b',
                side=SIDE, vocab_size=VOCAB,
                segmentation=run_segmentation(config, rng),
                keypoints=run_keypoints(config, rng))
  with open(args.out, 'w') as f:
    json.dump(golden, f, indent=1)
    f.write('\n')
  print('wrote', os.path.abspath(args.out))


if __name__ == '__main__':
  main()
