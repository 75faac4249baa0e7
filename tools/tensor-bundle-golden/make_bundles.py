#!/usr/bin/env python3
"""Golden TensorFlow tensor bundles for pix2seq-official's pure-Java bundle reader.

  make_bundles.py write        writes the bundles and expected.json with TensorFlow
  make_bundles.py verify-java  reads the Java-written bundle (bundles/java/written) with
                               tf.train.load_variable and checks every name, shape and value

Both default to pix2seq-official/src/test/resources/bundles; --out changes it. See README.md.
"""

import argparse
import gzip
import hashlib
import json
import os
import shutil
import sys
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow.core.framework import types_pb2

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.normpath(
    os.path.join(HERE, "..", "..", "pix2seq-official", "src", "test", "resources", "bundles"))

SEED = 20240613
MANY_COUNT = 1200
MANY_FILLER = "w" * 200


def many_name(i):
  """Long names that share only a few leading bytes, so the index needs two 256 KiB blocks."""
  return "layer%04d_%s" % (i, MANY_FILLER)


def rnd(rng, shape, dtype=np.float32):
  return rng.standard_normal(shape).astype(dtype)


def describe(prefix, names=None):
  """Expected entries as TensorFlow's own reader returns them."""
  reader = tf.train.load_checkpoint(prefix)
  dtypes = reader.get_variable_to_dtype_map()
  shapes = reader.get_variable_to_shape_map()
  out = {}
  for name in sorted(names if names is not None else dtypes):
    dtype = dtypes[name]
    value = reader.get_tensor(name)
    entry = {"dtype": types_pb2.DataType.Name(dtype.as_datatype_enum), "shape": list(shapes[name])}
    if dtype == tf.string:
      flat = np.asarray(value, dtype=object).reshape(-1)
      entry["sha256"] = [hashlib.sha256(bytes(v)).hexdigest() for v in flat]
      entry["lengths"] = [len(bytes(v)) for v in flat]
    elif dtype == tf.float64:
      entry["values"] = [float(v) for v in np.asarray(value).reshape(-1)]  # exact doubles
    elif dtype.is_floating:
      entry["values"] = [float(v) for v in np.asarray(value).astype(np.float32).reshape(-1)]
    else:
      entry["values"] = [int(v) for v in np.asarray(value).reshape(-1)]
    out[name] = entry
  return out


def write_object(out, rng):
  """(a) a TF2 object-based checkpoint via tf.train.Checkpoint.save, named ckpt-1."""
  model = tf.Module()
  model.encoder = tf.Module()
  model.encoder.kernel = tf.Variable(rnd(rng, (2, 2, 3, 4)))  # rank 4
  model.encoder.bias = tf.Variable(rnd(rng, (4,)))
  model.decoder = tf.Module()
  model.decoder.token_embedding = tf.Variable(rnd(rng, (6, 5)))
  model.decoder.mix = tf.Variable(rnd(rng, (2, 3, 4)))  # rank 3
  ckpt = tf.train.Checkpoint(
      model=model,
      scale=tf.Variable(np.float32(0.6180339)),  # rank 0
      global_step=tf.Variable(np.int64(123456789012)),
      counts=tf.Variable(np.array([-3, 0, 2**40 + 7], np.int64)),
      ids=tf.Variable(np.array([[1, -2], [3, 2**31 - 1]], np.int32)),
      doubles=tf.Variable(np.array([0.1, -2.5, 1e30], np.float64)),
      halves=tf.Variable(np.array([0.5, -1.25, 65504.0, 6.1e-5], np.float16)),
      brains=tf.Variable(tf.constant([1.0, -0.5, 3.140625], tf.bfloat16)),
      empty=tf.Variable(np.zeros((0, 3), np.float32)))
  folder = os.path.join(out, "object")
  shutil.rmtree(folder, ignore_errors=True)
  prefix = ckpt.save(os.path.join(folder, "ckpt"))
  assert os.path.basename(prefix) == "ckpt-1", prefix
  return {"prefix": "object/ckpt-1", "shards": 1, "entries": describe(prefix)}


def write_saved(out, rng):
  """(b) tf.raw_ops.SaveV2 with explicit object-checkpoint style names, not in key order."""
  graph = b"\x0a\x05stand\x00in for an object graph \xff\xfe"
  tensors = [
      ("model/encoder/stem_conv/kernel/.ATTRIBUTES/VARIABLE_VALUE", rnd(rng, (2, 2, 3, 4))),
      ("model/decoder/ar_decoder.Stoken_embedding/.ATTRIBUTES/VARIABLE_VALUE", rnd(rng, (7, 4))),
      ("_CHECKPOINTABLE_OBJECT_GRAPH", np.array(graph, dtype=object)),
      ("model/encoder/transformer_encoder/enc_layers/0/mlp/layernorms/0/gamma/.ATTRIBUTES/"
       "VARIABLE_VALUE", rnd(rng, (4,))),
      ("model/decoder/output_bias/.OPTIMIZER_SLOT/optimizer/m/.ATTRIBUTES/VARIABLE_VALUE",
       rnd(rng, (5,))),
      ("model/a.b.c/x.y/.ATTRIBUTES/VARIABLE_VALUE", rnd(rng, (1, 1))),
      ("optimizer/iter/.ATTRIBUTES/VARIABLE_VALUE", np.int64(40000)),
      ("save_counter/.ATTRIBUTES/VARIABLE_VALUE", np.int64(3)),
      ("global_step", np.int64(-9)),
  ]
  folder = os.path.join(out, "saved")
  shutil.rmtree(folder, ignore_errors=True)
  os.makedirs(folder)
  prefix = os.path.join(folder, "named")
  tf.raw_ops.SaveV2(prefix=prefix, tensor_names=[n for n, _ in tensors],
                    shape_and_slices=[""] * len(tensors),
                    tensors=[tf.constant(v) for _, v in tensors])
  return {"prefix": "saved/named", "shards": 1, "add_order": [n for n, _ in tensors],
          "entries": describe(prefix)}


def write_sharded(out, rng):
  """(c) a three-shard bundle: tf.train.Checkpoint with MaxShardSizePolicy."""
  variables = {"v%d" % i: tf.Variable(rnd(rng, (2, 3))) for i in range(6)}
  variables["step"] = tf.Variable(np.int64(77))
  ckpt = tf.train.Checkpoint(**variables)
  folder = os.path.join(out, "sharded")
  shutil.rmtree(folder, ignore_errors=True)
  policy = tf.train.experimental.MaxShardSizePolicy(max_shard_size=60)
  prefix = ckpt.write(os.path.join(folder, "ckpt"),
                      options=tf.train.CheckpointOptions(experimental_sharding_callback=policy))
  shards = sorted(f for f in os.listdir(folder) if ".data-" in f)
  assert len(shards) > 1, shards
  return {"prefix": "sharded/ckpt", "shards": len(shards), "entries": describe(prefix)}


def write_sliced(out):
  """(d) a partitioned variable: two slices of one 4x3 tensor, which the Java reader rejects."""
  folder = os.path.join(out, "sliced")
  shutil.rmtree(folder, ignore_errors=True)
  os.makedirs(folder)
  prefix = os.path.join(folder, "part")
  tf.raw_ops.SaveV2(
      prefix=prefix, tensor_names=["w", "w", "b"],
      shape_and_slices=["4 3 0,2:-", "4 3 2,2:-", ""],
      tensors=[tf.constant(np.arange(6, dtype=np.float32).reshape(2, 3)),
               tf.constant(np.arange(6, 12, dtype=np.float32).reshape(2, 3)),
               tf.constant(np.array([1.0, 2.0], np.float32))])
  return {"prefix": "sliced/part", "shards": 1, "entries": describe(prefix)}


def write_many(out):
  """(e) tf.train.Checkpoint of 1200 variables with long names: an index of two data blocks
  (TF's block size is 256 KiB) with many restart points. Stored gzipped (the index is ~300 KB,
  mostly repeated filler); the Java test unpacks it. Names and values follow many_name(i) and
  i * 0.5 (float32) or i * 3 (int64 for every fifth i)."""
  variables = {}
  for i in range(MANY_COUNT):
    variables[many_name(i)] = tf.Variable(np.int64(i * 3) if i % 5 == 0 else np.float32(i * 0.5))
  ckpt = tf.train.Checkpoint(**variables)
  folder = os.path.join(out, "many")
  shutil.rmtree(folder, ignore_errors=True)
  os.makedirs(folder)
  with tempfile.TemporaryDirectory() as tmp:
    prefix = ckpt.save(os.path.join(tmp, "ckpt"))
    reader = tf.train.load_checkpoint(prefix)
    for i in range(MANY_COUNT):
      key = many_name(i) + "/.ATTRIBUTES/VARIABLE_VALUE"
      expected = i * 3 if i % 5 == 0 else i * 0.5
      assert reader.get_tensor(key) == expected, key
    index_size = os.path.getsize(prefix + ".index")
    assert index_size > 262144, index_size  # more than one 256 KiB block
    for suffix in (".index", ".data-00000-of-00001"):
      with open(prefix + suffix, "rb") as src, \
          gzip.GzipFile(os.path.join(folder, "ckpt-1" + suffix + ".gz"), "wb", mtime=0) as dst:
        shutil.copyfileobj(src, dst)
  return {"prefix": "many/ckpt-1", "shards": 1, "gzipped": True, "count": MANY_COUNT,
          "index_bytes": index_size,
          "rule": "name layer%04d_ + 'w'*200 + /.ATTRIBUTES/VARIABLE_VALUE; value i*3 (int64) if "
                  "i % 5 == 0 else i*0.5 (float32); plus save_counter and the object graph"}


def java_fixed_case():
  """The tensors JavaWrittenBundleTest writes; keep the two in step."""
  t = {}
  t["model/decoder/ar_decoder.Stoken_embedding/.ATTRIBUTES/VARIABLE_VALUE"] = (
      np.arange(35, dtype=np.float32) * np.float32(0.25) - np.float32(4.0)).reshape(7, 5)
  t["model/encoder/kernel/.ATTRIBUTES/VARIABLE_VALUE"] = (
      (np.arange(24) % 7).astype(np.float32) * np.float32(-1.5) + np.float32(0.125)
  ).reshape(2, 3, 2, 2)
  t["scalar/.ATTRIBUTES/VARIABLE_VALUE"] = np.float32(3.5)
  t["empty/.ATTRIBUTES/VARIABLE_VALUE"] = np.zeros((0, 4), np.float32)
  t["save_counter/.ATTRIBUTES/VARIABLE_VALUE"] = np.int64(7)
  t["counts"] = np.array([-1, 0, 2**40 + 3], np.int64)
  t["_CHECKPOINTABLE_OBJECT_GRAPH"] = b"pix2seq-java test bundle \x00\xff"
  for layer in range(40):
    t["layer_%02d/w/.ATTRIBUTES/VARIABLE_VALUE" % layer] = np.array([layer, -layer], np.float32)
  return t


def verify_java(out):
  prefix = os.path.join(out, "java", "written")
  expected = java_fixed_case()
  listed = dict(tf.train.list_variables(prefix))
  if set(listed) != set(expected):
    sys.exit("names differ: only in TF %s, only expected %s"
             % (sorted(set(listed) - set(expected)), sorted(set(expected) - set(listed))))
  for name, want in expected.items():
    got = tf.train.load_variable(prefix, name)
    if isinstance(want, bytes):
      ok = got == want
    else:
      ok = got.dtype == want.dtype and got.shape == want.shape and np.array_equal(got, want)
      ok = ok and list(listed[name]) == list(want.shape)
    if not ok:
      sys.exit("mismatch for %s: TF read %r, expected %r" % (name, got, want))
  print("TensorFlow %s read all %d tensors of %s with identical names, shapes, dtypes and values"
        % (tf.__version__, len(expected), prefix))


def main():
  parser = argparse.ArgumentParser(description=__doc__,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
  parser.add_argument("command", choices=["write", "verify-java"])
  parser.add_argument("--out", default=DEFAULT_OUT)
  args = parser.parse_args()
  if args.command == "verify-java":
    verify_java(args.out)
    return
  rng = np.random.default_rng(SEED)
  os.makedirs(args.out, exist_ok=True)
  expected = {
      "tensorflow": tf.__version__,
      "bundles": {
          "object": write_object(args.out, rng),
          "saved": write_saved(args.out, rng),
          "sharded": write_sharded(args.out, rng),
          "sliced": write_sliced(args.out),
          "many": write_many(args.out),
      },
  }
  with open(os.path.join(args.out, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
    f.write("\n")
  print("wrote", args.out)


if __name__ == "__main__":
  main()
