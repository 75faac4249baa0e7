#!/usr/bin/env python3
"""Runs `./pix2seq bench` (both Java backends) and bench.py (PyTorch eager) one after the other,
ROUNDS times per preset, and prints one Markdown table: for each figure the median over the
rounds of each round's median, the range of those medians, and each backend's ratio to PyTorch.

  /work/venvs/torch/bin/python tools/pytorch-reference/compare.py --presets tiny,small --rounds 3

Alternating the three in every round spreads the machine's noise over all of them alike.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BACKENDS = ["pytorch", "djl", "tf"]
FIGURES = [  # (key, label)
    ("b1", "decode batch 1, tokens/s with cache"),
    ("b8", "decode batch 8, tokens/s with cache"),
    ("train", "training, images/s (8 x 100 tokens)"),
]


def java_round(preset, out):
    subprocess.run([os.path.join(ROOT, "pix2seq"), "bench", "--backend", "djl,tf", "--preset",
                    preset, "--json", out], check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    figures = {}
    for report in json.load(open(out)):
        by_batch = {d["batchSize"]: d for d in report["decode"]}
        figures[report["backend"]] = {
            "b1": by_batch[1]["cachedTokensPerSecond"]["median"],
            "b8": by_batch[8]["cachedTokensPerSecond"]["median"],
            "train": report["train"]["imagesPerSecond"]["median"],
            "token_step_b1_ms": by_batch[1]["breakdown"]["tokenStep"] * 1e3,
            "token_step_b8_ms": by_batch[8]["breakdown"]["tokenStep"] * 1e3,
            "forward_s": report["train"]["forwardSeconds"],
            "step_s": report["train"]["secondsPerStep"],
        }
    return figures


def torch_round(preset, out, python):
    subprocess.run([python, os.path.join(ROOT, "tools", "pytorch-reference", "bench.py"),
                    "--preset", preset, "--json", out], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    report = json.load(open(out))
    by_batch = {d["batchSize"]: d for d in report["decode"]}
    return {
        "b1": by_batch[1]["cachedTokensPerSecond"],
        "b8": by_batch[8]["cachedTokensPerSecond"],
        "train": report["train"]["imagesPerSecond"],
        "token_step_b1_ms": by_batch[1]["breakdown"]["meanTokenStepSeconds"]["median"] * 1e3,
        "token_step_b8_ms": by_batch[8]["breakdown"]["meanTokenStepSeconds"]["median"] * 1e3,
        "forward_s": report["train"]["breakdown"]["forwardSeconds"]["median"],
        "step_s": report["train"]["secondsPerStep"],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--presets", default="tiny,small")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--python", default=sys.executable,
                        help="the Python that has torch (default: this one)")
    parser.add_argument("--json", help="also write every round's figures here")
    args = parser.parse_args()
    rounds = {}
    with tempfile.TemporaryDirectory() as tmp:
        for preset in args.presets.split(","):
            rounds[preset] = []
            for r in range(args.rounds):
                figures = {"pytorch": torch_round(preset, os.path.join(tmp, "t.json"),
                                                  args.python)}
                figures.update(java_round(preset, os.path.join(tmp, "j.json")))
                rounds[preset].append(figures)
                print(f"{preset} round {r + 1}: " + ", ".join(
                    f"{b} {figures[b]['b1']:.0f}/{figures[b]['b8']:.0f} tok/s, "
                    f"{figures[b]['train']:.2f} img/s" for b in BACKENDS), file=sys.stderr)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rounds, f, indent=1)
    print("| preset | figure | PyTorch 2 eager | TensorFlow Java | DJL |")
    print("|---|---|---:|---:|---:|")
    for preset, runs in rounds.items():
        for key, label in FIGURES:
            cells = []
            reference = statistics.median(run["pytorch"][key] for run in runs)
            for backend in ["pytorch", "tf", "djl"]:
                values = [run[backend][key] for run in runs]
                med = statistics.median(values)
                digits = 2 if key == "train" and med < 10 else 0
                cell = f"{med:,.{digits}f} ({min(values):,.{digits}f}-{max(values):,.{digits}f})"
                if backend != "pytorch":
                    cell += f" {med / reference:.2f}x"
                cells.append(cell)
            print(f"| {preset} | {label} | " + " | ".join(cells) + " |")
    print()
    print("| preset | backend | token step b1 ms | token step b8 ms | train forward s | "
          "train step s |")
    print("|---|---|---:|---:|---:|---:|")
    for preset, runs in rounds.items():
        for backend in ["pytorch", "tf", "djl"]:
            med = {k: statistics.median(run[backend][k] for run in runs)
                   for k in ["token_step_b1_ms", "token_step_b8_ms", "forward_s", "step_s"]}
            print(f"| {preset} | {backend} | {med['token_step_b1_ms']:.3f} | "
                  f"{med['token_step_b8_ms']:.3f} | {med['forward_s']:.3f} | "
                  f"{med['step_s']:.3f} |")


if __name__ == "__main__":
    main()
