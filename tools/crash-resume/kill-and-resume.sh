#!/usr/bin/env bash
# Kills `pix2seq train` with SIGKILL at random moments, some of them in the middle of a
# checkpoint write, resumes it with --resume each time, and checks that the run ends with the
# same weights and optimizer state (byte for byte) and the same per-step losses as an
# uninterrupted run. Then (as root, where tmpfs can be mounted) fills the disk under a run and
# makes it read-only, and checks that training fails with one clear line and the last good
# checkpoint stays as it was.
#
#   tools/crash-resume/kill-and-resume.sh [djl|tf]      (build first: mvn -q install -DskipTests)
#
# Environment: KILLS (default 10), STEPS (default 400), WORK (default a new temporary folder).
set -euo pipefail

BACKEND=${1:-djl}
KILLS=${KILLS:-10}
STEPS=${STEPS:-400}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=$ROOT/pix2seq-app/target/pix2seq.jar
[ -f "$JAR" ] || { echo "no $JAR: build first (mvn -q install -DskipTests)"; exit 2; }
WORK=${WORK:-$(mktemp -d)}
mkdir -p "$WORK"
PIX2SEQ=(java -jar "$JAR")

fail() { echo "FAILED: $*"; exit 1; }

"${PIX2SEQ[@]}" synth --out "$WORK/data" --images 12 --size 64 --seed 2 > /dev/null
cat > "$WORK/model.json" <<'JSON'
{"preset": "tiny", "imageSize": 32, "patchSize": 8, "encoderLayers": 1,
 "encoderWidth": 32, "encoderHeads": 2, "encoderMlp": 64, "decoderLayers": 1,
 "decoderWidth": 32, "decoderHeads": 2, "decoderMlp": 64, "maxSequenceLength": 128}
JSON
echo '{"logEvery": 1}' > "$WORK/train.json"
train_args() {  # sets ARGS to the train command line: train_args OUT [more options]
  local out=$1; shift
  ARGS=("${PIX2SEQ[@]}" train --data "$WORK/data" --model-config "$WORK/model.json"
      --config "$WORK/train.json" --steps "$STEPS" --batch 2 --checkpoint-every 1 --seed 3
      --backend "$BACKEND" --out "$out" "$@")
}
train() {  # runs the train command in the foreground: train OUT [more options]
  train_args "$@"
  "${ARGS[@]}"
}

echo "[$BACKEND] uninterrupted run of $STEPS steps"
train "$WORK/reference" > "$WORK/reference.log" 2>&1 || fail "the reference run: $(tail -1 "$WORK/reference.log")"

# The checkpoint write in progress: its folder's inode and change time, or "none".
writing() { stat -c '%i %z' "$RUN/.checkpoint.writing" 2> /dev/null || echo none; }

echo "[$BACKEND] the same run, killed $KILLS times"
RUN=$WORK/killed
kills=0
in_write=0
launches=0
while [ "$kills" -lt "$KILLS" ]; do
  if [ -f "$RUN/checkpoint/model.json" ] || [ -d "$RUN/.checkpoint.previous" ]; then
    train_args "$RUN" --resume
  else
    rm -rf "$RUN"
    train_args "$RUN"
  fi
  stale=$(writing)   # a write a previous kill interrupted, or "none"
  "${ARGS[@]}" >> "$WORK/killed.log" 2>&1 &   # $! is the JVM itself, which SIGKILL hits
  pid=$!
  launches=$((launches + 1))
  if [ $((kills % 2)) -eq 1 ]; then
    # wait for this run's first checkpoint write to begin, then kill in the middle of it
    while kill -0 "$pid" 2> /dev/null && { w=$(writing); [ "$w" = none ] || [ "$w" = "$stale" ]; }; do
      :
    done
  else
    sleep "$(awk -v r=$RANDOM 'BEGIN { printf "%.2f", 2 + 4 * r / 32768 }')"   # 2 to 6 s
  fi
  if kill -9 "$pid" 2> /dev/null; then
    wait "$pid" 2> /dev/null || true
    kills=$((kills + 1))
    now=$(writing)
    if [ "$now" != none ] && [ "$now" != "$stale" ]; then
      in_write=$((in_write + 1))
      state="during a checkpoint write"
    else
      state="between writes"
    fi
    step=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['step'])" \
        "$RUN/checkpoint/train-state/loop.json" 2> /dev/null || echo none)
    echo "  kill $kills: $state (last checkpoint: step $step)"
  else
    wait "$pid" || true
    fail "the run finished before kill $((kills + 1)); raise STEPS"
  fi
done
train "$RUN" --resume >> "$WORK/killed.log" 2>&1 || fail "the final resume: $(tail -1 "$WORK/killed.log")"
echo "  $launches launches, $kills kills, $in_write of them during a checkpoint write"

for f in weights.safetensors train-state/optimizer.safetensors train-state/optimizer.json; do
  cmp -s "$WORK/reference/checkpoint/$f" "$RUN/checkpoint/$f" || fail "$f differs from the uninterrupted run"
done
echo "  weights and optimizer state: identical to the uninterrupted run"
python3 - "$WORK/reference/metrics.jsonl" "$RUN/metrics.jsonl" "$STEPS" <<'PY' || fail "the losses differ"
import json, sys
def lines(path):
    out = []
    for line in open(path):
        m = json.loads(line)
        m.pop('imagesPerSecond', None)
        m.pop('elapsedSeconds', None)
        out.append(m)
    return out
reference = {m['step']: m for m in lines(sys.argv[1])}
steps = int(sys.argv[3])
assert sorted(reference) == list(range(1, steps + 1)), 'the reference logs every step'
seen = set()
for m in lines(sys.argv[2]):
    if m != reference[m['step']]:
        sys.exit('step %d: %s != %s' % (m['step'], m, reference[m['step']]))
    seen.add(m['step'])
missing = set(reference) - seen
if missing:
    sys.exit('steps never logged: %s' % sorted(missing)[:10])
print('  per-step losses: %d steps, every logged line (repeats after a resume too) equal '
      'to the uninterrupted run' % len(seen))
PY

if [ "$(id -u)" != 0 ]; then
  echo "[$BACKEND] full disk and read-only checks skipped: they mount a tmpfs, which needs root"
  exit 0
fi
echo "[$BACKEND] a full disk, then a read-only one, under a run with a good checkpoint"
DISK=$WORK/disk
mkdir -p "$DISK"
mount -t tmpfs -o size=4m tmpfs "$DISK"
trap 'umount "$DISK" 2> /dev/null || true' EXIT
cp -r "$RUN" "$DISK/run"
rm -f "$DISK/run/.lock"
(cd "$DISK/run/checkpoint" && find . -type f | sort | xargs sha256sum) > "$WORK/good.sha256"
# leave 256 kB: enough to start and log, too little for a checkpoint (about 1.7 MB)
free=$(df --output=avail -B 4096 "$DISK" | tail -1)
dd if=/dev/zero of="$DISK/filler" bs=4k count=$((free - 64)) 2> /dev/null || true
for mode in full read-only; do
  if [ "$mode" = read-only ]; then
    rm -f "$DISK/filler"
    rm -rf "$DISK/run/.checkpoint.writing"
    mount -o remount,ro "$DISK"
  fi
  if STEPS=$((STEPS + 20)) train "$DISK/run" --resume > "$WORK/$mode.log" 2>&1; then
    fail "training on a $mode disk succeeded"
  fi
  lines=$(grep -v '^\[' "$WORK/$mode.log" | grep -c . || true)
  grep -q $'\tat ' "$WORK/$mode.log" && fail "a stack trace on a $mode disk: $WORK/$mode.log"
  (cd "$DISK/run/checkpoint" && find . -type f | sort | xargs sha256sum) \
      | cmp -s - "$WORK/good.sha256" || fail "the checkpoint changed on a $mode disk"
  echo "  $mode: '$(grep -v '^\[' "$WORK/$mode.log" | tail -1)'; checkpoint unchanged"
done
echo "[$BACKEND] passed ($WORK)"
