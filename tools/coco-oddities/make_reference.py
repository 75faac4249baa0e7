"""Reference numbers for inputs that pycocotools evaluates although they look odd.

Results: pycocotools' loadRes keeps a result whose category_id the ground truth lacks, and
COCOeval never evaluates it (it gathers detections per category of the ground truth, also with
useCats=0). Ground truth: an annotation id 0, an `ignore` field, a crowd region given as
polygons, and `num_keypoints` that disagrees with the visibilities. This writes such files,
built from the small_basic reference case, and the stats pycocotools prints for them, to
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


def id_zero(anns):
    anns[3]['id'] = 0   # matches to it count as unmatched in pycocotools' accumulate


def ignore_field(anns):
    for a in anns[::4]:
        a['ignore'] = 1   # overwritten from iscrowd by COCOeval._prepare
    anns[1]['ignore'] = 0


def crowd_polygon(anns):
    for a in anns:
        if isinstance(a.get('segmentation'), list) and a['segmentation'] and not a['iscrowd']:
            a['iscrowd'] = 1
            return
    raise SystemExit('no polygon annotation to turn into a crowd region')


def num_keypoints(anns):
    changed = 0
    for a in anns:
        if a.get('num_keypoints', 0) > 0:
            a['num_keypoints'] = 0 if changed % 2 == 0 else a['num_keypoints'] + 3
            changed += 1
        if changed == 4:
            return
    raise SystemExit('fewer than 4 annotations with keypoints')


GT_ODDITIES = [
    ('gt_id_zero.json', ('bbox',), 'gt.json', id_zero),
    ('gt_ignore_field.json', ('bbox', 'segm'), 'gt.json', ignore_field),
    ('gt_crowd_polygon.json', ('bbox', 'segm'), 'gt.json', crowd_polygon),
    ('gt_num_keypoints.json', ('keypoints',), 'gt_keypoints.json', num_keypoints),
]


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
    for name, iou_types, gt_name, edit in GT_ODDITIES:
        gt = json.load(open(os.path.join(SOURCE, gt_name)))
        edit(gt['annotations'])
        with open(os.path.join(OUT, name), 'w') as f:
            json.dump(gt, f)
        for iou_type in iou_types:
            results = os.path.join(SOURCE, 'results_%s.json' % iou_type)
            for use_cats in (1, 0):
                expected['%s %s useCats=%d' % (name, iou_type, use_cats)] = {
                    'gt': name, 'results': os.path.basename(results), 'iou_type': iou_type,
                    'stats': stats(os.path.join(OUT, name), results, iou_type, use_cats)}
    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump(expected, f, indent=1)
    print('wrote', OUT)


if __name__ == '__main__':
    main()
