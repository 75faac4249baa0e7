"""Writes the focused COCO evaluation cases of CocoEvalFocusedCasesTest and what pycocotools
computes for them (expected.json.gz). Run with pycocotools 2.0.11 and numpy:

    python make_cases.py

Each case folder holds gt.json (and gt_keypoints.json), results_<type>.json and manifest.json
(the evaluations, with parameter overrides). pycocotools crashes on an empty results list, so
an "empty" results file is evaluated by pycocotools with one result of a category the ground
truth lacks (filtered out before evaluation); the Java side reads the real empty list.
"""
import contextlib
import copy
import gzip
import io
import json
import os
import random

import numpy as np
from pycocotools import mask as mask_utils
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

HERE = os.path.dirname(os.path.abspath(__file__))
W, H = 320, 240
PERSON_KP = ["nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder",
             "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist",
             "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle"]
CATS = [{"id": 1, "name": "person", "supercategory": "person"},
        {"id": 2, "name": "car", "supercategory": "vehicle"},
        {"id": 7, "name": "dog", "supercategory": "animal"}]


def images(ids):
    return [{"id": i, "file_name": "%d.png" % i, "width": W, "height": H} for i in ids]


def box_poly(x, y, w, h):
    return [[x, y, x + w, y, x + w, y + h, x, y + h]]


def poly_area(seg):
    rles = mask_utils.frPyObjects(seg, H, W)
    return float(mask_utils.area(mask_utils.merge(rles)))


def ann(aid, img, cat, x, y, w, h, crowd=0, area=None, seg=None):
    a = {"id": aid, "image_id": img, "category_id": cat, "bbox": [x, y, w, h], "iscrowd": crowd}
    if seg is None:
        seg = box_poly(x, y, w, h)
    if crowd:
        rle = mask_utils.merge(mask_utils.frPyObjects(seg, H, W))
        m = mask_utils.decode(rle)
        # uncompressed RLE, column-major, as COCO writes crowd regions
        flat = m.flatten(order="F")
        counts, prev, run = [], 0, 0
        for v in flat:
            if v != prev:
                counts.append(run)
                run, prev = 0, v
            run += 1
        counts.append(run)
        seg = {"size": [H, W], "counts": counts}
    a["segmentation"] = seg
    a["area"] = area if area is not None else (poly_area(seg) if isinstance(seg, list)
                                               else float(mask_utils.area(
                                                   mask_utils.frPyObjects(seg, H, W))))
    return a


def seg_result(img, cat, score, x, y, w, h, with_bbox=False):
    rle = mask_utils.merge(mask_utils.frPyObjects(box_poly(x, y, w, h), H, W))
    rle["counts"] = rle["counts"].decode("ascii")
    r = {"image_id": img, "category_id": cat, "segmentation": rle, "score": score}
    if with_bbox:
        r["bbox"] = [x, y, w, h]
    return r


def box_result(img, cat, score, x, y, w, h):
    return {"image_id": img, "category_id": cat, "bbox": [x, y, w, h], "score": score}


def person_kps(x, y, w, h, rng, visible=None):
    kps = []
    for j in range(17):
        px = round(x + w * (0.2 + 0.6 * ((j * 37) % 17) / 16), 2)
        py = round(y + h * (0.1 + 0.8 * j / 16), 2)
        v = 2 if visible is None or j in visible else 0
        kps += [px, py, v] if v else [0, 0, 0]
    return kps


def jitter_kps(kps, rng, sd):
    out = []
    for j in range(17):
        x, y, v = kps[3 * j:3 * j + 3]
        if v == 0:
            x, y = rng.uniform(0, W), rng.uniform(0, H)
        out += [round(x + rng.gauss(0, sd), 2), round(y + rng.gauss(0, sd), 2), 1]
    return out


def evaluate(gt_file, res, iou_type, params):
    with contextlib.redirect_stdout(io.StringIO()):
        gt = COCO(gt_file)
        if not res:
            res = [{"image_id": gt.getImgIds()[0], "category_id": 999,
                    "bbox": [1, 1, 2, 2], "score": 0.5, "keypoints": [0] * 51,
                    "segmentation": {"size": [H, W], "counts": "0" if False else
                                     mask_utils.encode(np.zeros((H, W), np.uint8, order="F"))[
                                         "counts"].decode("ascii")}}]
        dt = gt.loadRes(copy.deepcopy(res))
        ev = COCOeval(gt, dt, iou_type)
        if "useCats" in params:
            ev.params.useCats = params["useCats"]
        if "imgIds" in params:
            ev.params.imgIds = params["imgIds"]
        if "catIds" in params:
            ev.params.catIds = params["catIds"]
        if "maxDets" in params:
            ev.params.maxDets = params["maxDets"]
        ev.evaluate()
        ev.accumulate()
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            ev.summarize()
    lines = [l for l in out.getvalue().splitlines() if l.startswith(" Average")]
    all_rng = ev.params.areaRng[0]
    imgs = []
    for e in ev.evalImgs:
        if e is None or e["aRng"] != all_rng:
            continue
        imgs.append({"image_id": int(e["image_id"]), "category_id": int(e["category_id"]),
                     "dtIds": [int(v) for v in e["dtIds"]],
                     "gtIds": [int(v) for v in e["gtIds"]],
                     "dtMatches": e["dtMatches"].astype(int).tolist(),
                     "dtIgnore": e["dtIgnore"].astype(int).tolist(),
                     "gtIgnore": np.asarray(e["gtIgnore"]).astype(int).tolist()})
    return {"stats": [float(s) for s in ev.stats], "summary_text": lines,
            "precision": ev.eval["precision"].tolist(), "recall": ev.eval["recall"].tolist(),
            "eval_imgs_area_all": imgs}


def write_case(name, notes, gt, results, evaluations, gt_kp=None):
    d = os.path.join(HERE, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "gt.json"), "w") as f:
        json.dump(gt, f)
    if gt_kp is not None:
        with open(os.path.join(d, "gt_keypoints.json"), "w") as f:
            json.dump(gt_kp, f)
    for kind, res in results.items():
        with open(os.path.join(d, "results_%s.json" % kind), "w") as f:
            json.dump(res, f)
    manifest = {"case": name, "notes": notes, "evaluations": evaluations}
    with open(os.path.join(d, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    expected = {}
    for e in evaluations:
        gt_file = os.path.join(d, e["gt"])
        expected[e["name"]] = evaluate(gt_file, results[e["results"]], e["iouType"],
                                       e.get("params", {}))
    with gzip.open(os.path.join(d, "expected.json.gz"), "wt") as f:
        json.dump({"evaluations": expected}, f)


def ev(name, iou_type, results, gt="gt.json", **params):
    e = {"name": name, "iouType": iou_type, "gt": gt, "results": results}
    if params:
        e["params"] = params
    return e


def crowd_absorb():
    gt = {"images": images([1, 2]), "categories": CATS, "annotations": [
        ann(1, 1, 1, 20, 30, 60, 80),
        ann(2, 1, 1, 120, 40, 150, 150, crowd=1),
        ann(3, 2, 1, 40, 40, 50, 50),
        ann(4, 2, 1, 100, 20, 200, 200, crowd=1)]}
    rng = random.Random(11)
    boxes = [(1, 0.9, 21, 31, 58, 79), (2, 0.85, 41, 39, 50, 52)]
    for i in range(25):
        boxes.append((1, round(rng.uniform(0.3, 0.95), 2), 130 + rng.randint(0, 80),
                      50 + rng.randint(0, 80), 30 + rng.randint(0, 20), 30 + rng.randint(0, 20)))
    for i in range(8):
        boxes.append((2, round(rng.uniform(0.3, 0.95), 2), 110 + 20 * i, 30 + 10 * i, 40, 40))
    boxes.append((1, 0.5, 0, 200, 30, 30))
    res_b = [box_result(i, 1, s, x, y, w, h) for i, s, x, y, w, h in boxes]
    res_s = [seg_result(i, 1, s, x, y, w, h) for i, s, x, y, w, h in boxes]
    write_case("crowd_absorb", [
        "crowd regions absorb any number of detections (ignored, not false positives)",
        "crowd IoU = intersection / detection area"],
        gt, {"bbox": res_b, "segm": res_s},
        [ev("bbox", "bbox", "bbox"), ev("segm", "segm", "segm")])


def score_ties():
    gt = {"images": images([3, 5, 9]), "categories": CATS, "annotations": [
        ann(10, 5, 2, 50, 50, 40, 40),
        ann(11, 9, 2, 100, 100, 40, 40),
        ann(12, 3, 2, 10, 10, 40, 40)]}
    res = [
        box_result(9, 2, 0.5, 100, 100, 40, 40),   # TP, image 9
        box_result(3, 2, 0.5, 200, 200, 30, 30),   # FP, image 3 (earlier image)
        box_result(5, 2, 0.5, 52, 50, 40, 40),     # TP (IoU .905), image 5
        box_result(5, 2, 0.5, 50, 50, 40, 40),     # same score, later in file: FP at IoU<=.9
        box_result(3, 2, 0.7, 11, 12, 40, 40),     # TP
        box_result(3, 2, 0.7, 10, 10, 40, 40),     # tie within image, later in file
        box_result(9, 2, 0.0, 0, 0, 5, 5),
        box_result(5, 2, -0.0, 0, 0, 5, 5),
    ]
    write_case("score_ties", [
        "equal scores keep file order inside an image and image order across images",
        "0.0 and -0.0 tie"], gt, {"bbox": res},
        [ev("bbox", "bbox", "bbox"), ev("bbox_useCats0", "bbox", "bbox", useCats=0)])


def many_dets():
    gt_anns = [ann(1 + j, 1, 2, 10 + 30 * j, 10 + 20 * (j % 5), 25, 25) for j in range(9)]
    gt_anns += [ann(20, 2, 2, 100, 100, 50, 50), ann(21, 2, 7, 10, 10, 60, 60)]
    gt = {"images": images([1, 2]), "categories": CATS, "annotations": gt_anns}
    rng = random.Random(5)
    res = []
    tp_rank = {0: 0, 50: 1, 99: 2, 100: 3, 101: 4, 130: 5, 150: 6, 5: 7, 8: 8}
    for r in range(160):
        score = round(1 - r / 200, 4)
        if r in tp_rank:
            g = gt_anns[tp_rank[r]]["bbox"]
            res.append(box_result(1, 2, score, g[0] + 1, g[1], g[2], g[3]))
        else:
            res.append(box_result(1, 2, score, rng.randint(0, 250), rng.randint(150, 200),
                                  rng.randint(5, 60), rng.randint(5, 40)))
    # image 2: 130 detections over two categories: truncation is per image and category
    for r in range(130):
        cat = 2 if r % 2 == 0 else 7
        score = round(0.99 - r / 300, 4)
        if r in (120, 121):
            g = gt_anns[9 if cat == 2 else 10]["bbox"]
            res.append(box_result(2, cat, score, g[0], g[1], g[2], g[3]))
        else:
            res.append(box_result(2, cat, score, rng.randint(150, 250), rng.randint(0, 100),
                                  rng.randint(5, 60), rng.randint(5, 60)))
    rng.shuffle(res)
    write_case("many_dets", [
        "more than 100 detections in an image: later true positives are cut by maxDets",
        "image 2: 130 detections over two categories, 65 each, so none is cut"],
        gt, {"bbox": res},
        [ev("bbox", "bbox", "bbox"),
         ev("bbox_maxdets_5_50_200", "bbox", "bbox", maxDets=[5, 50, 200]),
         ev("bbox_useCats0", "bbox", "bbox", useCats=0)])


def empty_and_missing():
    gt = {"images": images([1, 2, 3, 4]), "categories": CATS, "annotations": [
        ann(0, 1, 1, 10, 10, 50, 80),              # id 0: can never count as matched
        ann(5, 1, 1, 100, 10, 50, 80),
        ann(6, 2, 2, 30, 30, 60, 40),              # image 2: ground truth, no detections
        ann(7, 4, 7, 0, 0, 300, 200, crowd=1)]}    # dog: only crowd ground truth
    res = [box_result(1, 1, 0.9, 10, 10, 50, 80),
           box_result(1, 1, 0.8, 100, 10, 50, 80),
           box_result(1, 7, 0.7, 5, 5, 20, 20),    # dog in image 1: no dog ground truth
           box_result(4, 7, 0.6, 10, 10, 50, 50),  # absorbed by the dog crowd
           box_result(4, 2, 0.6, 10, 10, 50, 50)]  # car with no car ground truth in image 4
    res_s = [seg_result(r["image_id"], r["category_id"], r["score"], *r["bbox"]) for r in res]
    write_case("empty_and_missing", [
        "image 3 is empty, image 2 has ground truth but no detections",
        "category 7 has only crowd ground truth: -1 entries",
        "ground truth id 0 never counts as matched"],
        gt, {"bbox": res, "segm": res_s, "empty": []},
        [ev("bbox", "bbox", "bbox"), ev("segm", "segm", "segm"),
         ev("bbox_useCats0", "bbox", "bbox", useCats=0),
         ev("bbox_empty_results", "bbox", "empty"),
         ev("segm_empty_results", "segm", "empty")])


def area_ranges():
    # areas exactly on the boundaries (both ends are inclusive)
    gt = {"images": images([1, 2]), "categories": CATS, "annotations": [
        ann(1, 1, 2, 10, 10, 32, 32, area=1024.0),
        ann(2, 1, 2, 60, 10, 96, 96, area=9216.0),
        ann(3, 1, 2, 170, 10, 20, 20, area=400.0),
        ann(4, 1, 2, 10, 120, 150, 100, area=15000.0),
        ann(5, 2, 2, 10, 10, 40, 40, area=1023.999),
        ann(6, 2, 2, 100, 10, 50, 50, area=9216.001),
        ann(7, 2, 2, 200, 10, 10, 10, area=0.0)]}
    res = [box_result(1, 2, 0.9, 10, 10, 32, 32),
           box_result(1, 2, 0.8, 60, 10, 96, 96),
           box_result(1, 2, 0.7, 171, 10, 20, 20),
           box_result(1, 2, 0.6, 12, 121, 150, 100),
           box_result(1, 2, 0.95, 250, 200, 10, 10),    # unmatched small: ignored in medium/large
           box_result(1, 2, 0.85, 200, 100, 100, 100),  # unmatched large
           box_result(2, 2, 0.9, 10, 10, 40, 40),
           box_result(2, 2, 0.9, 100, 10, 50, 50),
           box_result(2, 2, 0.3, 200, 10, 10, 10),
           box_result(2, 2, 0.2, 0, 100, 32, 32)]       # unmatched, area exactly 1024
    res_s = [seg_result(r["image_id"], r["category_id"], r["score"], *r["bbox"],
                        with_bbox=(i % 2 == 1)) for i, r in enumerate(res)]
    res_sb = [seg_result(r["image_id"], r["category_id"], r["score"], *r["bbox"],
                         with_bbox=True) for r in res]
    write_case("area_ranges", [
        "ground truth and detections on the area-range boundaries 1024 and 9216 (inclusive)",
        "unmatched detections outside a range are ignored in it",
        "segm: the first entry has no bbox, so every area is the mask's pixel count",
        "segm_with_boxes: the first entry has a bbox key, so every area is the box's (loadRes)"],
        gt, {"bbox": res, "segm": res_s, "segm_with_boxes": res_sb},
        [ev("bbox", "bbox", "bbox"), ev("segm", "segm", "segm"),
         ev("segm_with_boxes", "segm", "segm_with_boxes")])


def keypoints_zero():
    rng = random.Random(17)
    kp_cat = [{"id": 1, "name": "person", "supercategory": "person", "keypoints": PERSON_KP,
               "skeleton": [[16, 14], [14, 12], [17, 15], [15, 13]]}]
    anns, res = [], []
    specs = [
        (1, 1, 20, 20, 60, 150, None, 0),
        (2, 1, 120, 30, 50, 120, {0, 1, 2, 5, 6}, 0),
        (3, 1, 200, 20, 40, 100, set(), 0),          # num_keypoints 0: ignored
        (4, 2, 30, 40, 80, 160, None, 0),
        (5, 2, 150, 30, 150, 200, set(), 1),         # crowd person without keypoints
        (6, 3, 100, 60, 70, 140, {3, 4, 11, 12, 15, 16}, 0)]
    for aid, img, x, y, w, h, vis, crowd in specs:
        kps = person_kps(x, y, w, h, rng, vis)
        nk = sum(1 for j in range(17) if kps[3 * j + 2] > 0)
        a = ann(aid, img, 1, x, y, w, h, crowd=crowd, area=float(w * h) * 0.6)
        a["keypoints"] = kps
        a["num_keypoints"] = nk
        anns.append(a)
        for sd in (2.0, 6.0):
            base = kps if nk else person_kps(x, y, w, h, rng, None)
            res.append({"image_id": img, "category_id": 1, "keypoints": jitter_kps(base, rng, sd),
                        "score": round(rng.uniform(0.2, 0.99), 3)})
    for i in range(25):   # more than 20 detections in image 2
        res.append({"image_id": 2, "category_id": 1,
                    "keypoints": jitter_kps(anns[3]["keypoints"], rng, 3 + i),
                    "score": round(0.5 - i / 100, 3)})
    gt = {"images": images([1, 2, 3]), "categories": kp_cat, "annotations": anns}
    write_case("keypoints_zero", [
        "ground truth with num_keypoints 0 is ignored; OKS then uses the grown box",
        "a crowd person without keypoints absorbs detections",
        "image 2 has more than 20 keypoint detections"],
        gt, {"keypoints": res},
        [ev("keypoints", "keypoints", "keypoints"),
         ev("keypoints_useCats0", "keypoints", "keypoints", useCats=0),
         ev("keypoints_img_2_3", "keypoints", "keypoints", imgIds=[3, 2])])


def subsets():
    rng = random.Random(23)
    anns, res = [], []
    aid = 1
    for img in range(1, 9):
        for j in range(4):
            cat = [1, 2, 7][(img + j) % 3]
            x, y = rng.randint(0, 200), rng.randint(0, 150)
            w, h = rng.randint(10, 110), rng.randint(10, 90)
            anns.append(ann(aid, img, cat, x, y, w, h, crowd=1 if aid % 11 == 0 else 0))
            aid += 1
            for k in range(3):
                res.append(box_result(img, cat if k < 2 else [1, 2, 7][k % 3],
                                      round(rng.uniform(0, 1), 1),
                                      round(x + rng.gauss(0, 6), 2), round(y + rng.gauss(0, 6), 2),
                                      round(w * rng.uniform(0.8, 1.2), 2),
                                      round(h * rng.uniform(0.8, 1.2), 2)))
    gt = {"images": images(range(1, 9)), "categories": CATS, "annotations": anns}
    write_case("subsets", [
        "imgIds and catIds subsets, with and without useCats; scores rounded to 0.1 (ties)"],
        gt, {"bbox": res},
        [ev("bbox", "bbox", "bbox"),
         ev("bbox_img_subset", "bbox", "bbox", imgIds=[7, 2, 3, 2]),
         ev("bbox_cat_subset", "bbox", "bbox", catIds=[7, 1]),
         ev("bbox_useCats0_cat_subset", "bbox", "bbox", useCats=0, catIds=[7, 1])])


if __name__ == "__main__":
    crowd_absorb()
    score_ties()
    many_dets()
    empty_and_missing()
    area_ranges()
    keypoints_zero()
    subsets()
