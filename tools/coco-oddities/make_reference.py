"""Reference numbers for results files that pycocotools evaluates although they look odd.

pycocotools' loadRes keeps a result whose category_id the ground truth lacks, and COCOeval
never evaluates it (it gathers detections per category of the ground truth, also with
useCats=0). This writes such results files, built from the small_basic reference case with
extra entries of unknown categories, and the stats pycocotools prints for them, to
pix2seq-eval/src/test/resources/coco-oddities/.

    python tools/coco-oddities/make_reference.py     (numpy and pycocotools 2.0.11)
"""
import contextlib
import io
import json
import os

from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
SOURCE = os.path.join(ROOT, 'pix2seq-eval', 'src', 'test', 'resources', 'reference', 'coco',
                      'small_basic')
OUT = os.path.join(ROOT, 'pix2seq-eval', 'src', 'test', 'resources', 'coco-oddities')


def stats(gt_file, results_file, iou_type, use_cats):
    with contextlib.redirect_stdout(io.StringIO()):
        gt = COCO(gt_file)
        dt = gt.loadRes(results_file)
        e = COCOeval(gt, dt, iou_type)
        e.params.useCats = use_cats
        e.evaluate()
        e.accumulate()
        e.summarize()
    return [float(s) for s in e.stats]


def main():
    os.makedirs(OUT, exist_ok=True)
    expected = {}
    for iou_type, gt_name in (('bbox', 'gt.json'), ('keypoints', 'gt_keypoints.json')):
        results = json.load(open(os.path.join(SOURCE, 'results_%s.json' % iou_type)))
        odd = []
        for i, r in enumerate(results[:12]):
            extra = dict(r)
            extra['category_id'] = 999 if i % 2 else 77   # categories the ground truth lacks
            extra['score'] = 1 if i % 3 == 0 else r['score']  # integer scores too
            odd.append(extra)
        mixed = results[:5] + odd + results[5:]
        name = 'results_%s_unknown_categories.json' % iou_type
        with open(os.path.join(OUT, name), 'w') as f:
            json.dump(mixed, f)
        gt_file = os.path.join(SOURCE, gt_name)
        for use_cats in (1, 0):
            expected['%s useCats=%d' % (name, use_cats)] = {
                'gt': gt_name, 'iou_type': iou_type,
                'stats': stats(gt_file, os.path.join(OUT, name), iou_type, use_cats),
                'stats_without_the_extra_entries': stats(
                    gt_file, os.path.join(SOURCE, 'results_%s.json' % iou_type), iou_type,
                    use_cats)}
    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump(expected, f, indent=1)
    print('wrote', OUT)


if __name__ == '__main__':
    main()
