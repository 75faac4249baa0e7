#!/usr/bin/env python3
"""Golden reference data from the OFFICIAL Pix2seq code (google-research/pix2seq).

The official source is NOT part of this project: it is imported at run time
from the directory given with --official-src (a checkout of commit eabd4e9).
Everything in this file is our own code: a small Keras-3 compatibility shim,
the checkpoint writer (released Keras-2 key layout), an independent numpy
forward pass used to check the shimmed model, and the golden-data writers.

Modes:
  make_golden.py --official-src DIR [--out DIR] [--seed N] [--case NAME]
      small random-weight multi-task ViT model: config.json, ckpt-1.*,
      images/tokens/logits, greedy.json, verification.json; preprocess.* go to
      --preprocess-out (default: the runtime module's test resources)
  make_golden.py --official-src DIR --structure vit-b-640 [--out DIR]
      variable table of the full multi-task ViT-B 640x640 model.

See README.md next to this file.
"""

import argparse
import hashlib
import importlib
import inspect
import json
import math
import os
import re
import sys
import types

# Deterministic CPU numerics: no GPU, no oneDNN re-ordered kernels.
os.environ.setdefault('TF_ENABLE_ONEDNN_OPTS', '0')
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
os.environ.setdefault('CUDA_VISIBLE_DEVICES', '')

import warnings  # noqa: E402

import numpy as np  # noqa: E402

# Keras 3 warns about a softmax over a length-1 axis (self-attention over a
# single prompt token); the math is the same as in Keras 2.
warnings.filterwarnings('ignore', message='You are using a softmax over axis')

OFFICIAL_COMMIT = 'eabd4e9'
OFFICIAL_REPO = 'https://github.com/google-research/pix2seq'
ALL_TASKS = ('object_detection@coco/2017_object_detection+'
             'instance_segmentation@coco/2017_instance_segmentation+'
             'keypoint_detection@coco/2017_keypoint_detection+'
             'captioning@coco/2017_captioning')

SMALL_MODEL = dict(
    image_size=(64, 64),
    patch_size=8,
    num_encoder_layers=2,
    dim_att=32,
    dim_mlp=64,
    num_heads=2,
    num_decoder_layers=2,
    dim_att_dec=32,
    dim_mlp_dec=64,
    num_heads_dec=2,
    vocab_size=3256,
    max_seq_len=64,
    coord_vocab_shift=1000,
    text_vocab_shift=3000,
    resnet_variant='c1',
    pos_encoding='sin_cos',
    pos_encoding_dec='learned',
    dec_proj_mode='mlp',
    shared_decoder_embedding=True,
    decoder_output_bias=True,
    use_cls_token=False,
)

GREEDY_EXTRA_STEPS = 20

tf = None  # set by install_shim()


# ---------------------------------------------------------------------------
# Keras 3 compatibility shim (our own code, applied before importing official
# modules).
# ---------------------------------------------------------------------------

_SLASH = '__'          # '/' in official layer / weight names becomes '__'
ORIGINAL_WEIGHT_NAME = {}   # id(variable) -> name given to add_weight


def _sanitize(name):
  if isinstance(name, str) and '/' in name:
    assert _SLASH not in name, name
    return name.replace('/', _SLASH)
  return name


def install_shim(official_src):
  """Monkeypatches Keras 3 so the Keras-2 era official code runs unchanged."""
  global tf
  import tensorflow as tf_mod  # pylint: disable=g-import-not-at-top
  tf = tf_mod
  import keras  # pylint: disable=g-import-not-at-top
  from keras.src.layers.layer import Layer as KLayer  # pylint: disable=g-import-not-at-top

  # (1) '/' is rejected in Keras 3 layer names: sanitize.
  orig_init = KLayer.__init__
  if not getattr(orig_init, '_pix2seq_shim', False):
    def layer_init(self, *args, **kwargs):
      if 'name' in kwargs:
        kwargs['name'] = _sanitize(kwargs['name'])
      orig_init(self, *args, **kwargs)
    layer_init._pix2seq_shim = True
    KLayer.__init__ = layer_init

  # (2) '/' is rejected in Keras 3 weight names: sanitize, remember original
  # (the original is the Keras-2 checkpoint dependency name).
  orig_add_weight = KLayer.add_weight
  if not getattr(orig_add_weight, '_pix2seq_shim', False):
    def add_weight(self, *args, **kwargs):
      original = kwargs.get('name')
      if 'name' in kwargs:
        kwargs['name'] = _sanitize(kwargs['name'])
      v = orig_add_weight(self, *args, **kwargs)
      if original is not None:
        ORIGINAL_WEIGHT_NAME[id(v)] = original
      return v
    add_weight._pix2seq_shim = True
    KLayer.add_weight = add_weight

  # (3) Keras 3 only accepts tensors positionally: the official code passes
  # `training` (a Python bool) positionally, e.g. self.encoder(images, training)
  # or self.mlp(x, training). Keras 3 also fills a `mask` argument itself
  # (from the input's Keras mask) and then clashes with a positional None,
  # e.g. self.transformer_encoder(tokens, None, training=...). From the first
  # positional argument that is None or a Python scalar on, pass the
  # arguments as keywords, by the name they bind to in the call signature.
  orig_call = KLayer.__call__
  if not getattr(orig_call, '_pix2seq_shim', False):
    def layer_call(self, *args, **kwargs):
      if len(args) > 1:
        for i in range(1, len(args)):
          a = args[i]
          if a is None or isinstance(a, (bool, np.bool_, int, float, str)):
            params = [p for p in inspect.signature(self.call).parameters.values()
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
            names = [p.name for p in params]
            for j in range(i, len(args)):
              if names[j] in kwargs:
                raise TypeError('duplicate argument %s' % names[j])
              kwargs[names[j]] = args[j]
            args = args[:i]
            break
      return orig_call(self, *args, **kwargs)
    layer_call._pix2seq_shim = True
    KLayer.__call__ = layer_call

  # (4) MultiHeadAttention: Keras 2 signature (4th positional = attention_mask,
  # Keras 3 would take it as query_mask) and Keras 2 math: scale the query by
  # 1/sqrt(key_dim), einsum, masked softmax, einsum (Keras 3 would route
  # dropout=0 attention through ops.dot_product_attention instead).
  base_mha = keras.layers.MultiHeadAttention
  if not getattr(base_mha, '_pix2seq_shim', False):
    class Keras2MultiHeadAttention(base_mha):
      _pix2seq_shim = True

      def call(self, query, value, key=None, attention_mask=None,  # pylint: disable=arguments-renamed
               return_attention_scores=False, training=None,
               use_causal_mask=False):
        return super().call(
            query, value, key=key, attention_mask=attention_mask,
            return_attention_scores=return_attention_scores,
            training=training, use_causal_mask=use_causal_mask)

      def _compute_attention(self, query, key, value, attention_mask=None,
                             training=None, return_attention_scores=False,
                             use_causal_mask=False):
        assert not use_causal_mask
        ops = keras.ops
        query = ops.multiply(
            query, ops.cast(self._inverse_sqrt_key_dim, query.dtype))
        scores = ops.einsum(self._dot_product_equation, key, query)
        scores = self._masked_softmax(scores, attention_mask)
        if self._dropout > 0.0:
          scores_d = self._dropout_layer(scores, training=training)
        else:
          scores_d = scores
        out = ops.einsum(self._combine_equation, scores_d, value)
        return out, scores

    keras.layers.MultiHeadAttention = Keras2MultiHeadAttention
    tf.keras.layers.MultiHeadAttention = Keras2MultiHeadAttention
    assert tf.keras.layers.MultiHeadAttention is Keras2MultiHeadAttention

  # (5) tensorflow_addons is not available (imported by architectures/resnet.py
  # and models/model_utils.py, only used by the ResNet / LAMB paths).
  if 'tensorflow_addons' not in sys.modules:
    tfa = types.ModuleType('tensorflow_addons')
    tfa.layers = types.ModuleType('tensorflow_addons.layers')
    tfa.optimizers = types.ModuleType('tensorflow_addons.optimizers')
    def _unavailable(*_, **__):
      raise NotImplementedError('tensorflow_addons stub (golden tool shim)')
    tfa.layers.GroupNormalization = _unavailable
    tfa.optimizers.LAMB = _unavailable
    sys.modules['tensorflow_addons'] = tfa
    sys.modules['tensorflow_addons.layers'] = tfa.layers
    sys.modules['tensorflow_addons.optimizers'] = tfa.optimizers

  src = os.path.abspath(official_src)
  if src not in sys.path:
    sys.path.insert(0, src)


def official(module):
  return importlib.import_module(module)


# ---------------------------------------------------------------------------
# Config
# ---------------------------------------------------------------------------

def _replace_image_size(node, old, new, path=''):
  """Replaces every image_size / target_size equal to `old` in a ConfigDict."""
  import ml_collections  # pylint: disable=g-import-not-at-top
  n = 0
  if isinstance(node, ml_collections.ConfigDict):
    for k in list(node.keys()):
      v = node[k]
      if k in ('image_size', 'target_size') and tuple(v) == tuple(old):
        node[k] = tuple(new)
        n += 1
      else:
        n += _replace_image_size(v, old, new, path + '.' + k)
  elif isinstance(node, (list, tuple)):
    for i, v in enumerate(node):
      n += _replace_image_size(v, old, new, '%s[%d]' % (path, i))
  return n


def build_config(small, overrides=None):
  config_multi_task = official('configs.config_multi_task')
  config = config_multi_task.get_config(ALL_TASKS + ',vit-b')
  if small:
    old = tuple(config.model.image_size)
    model = dict(SMALL_MODEL)
    for k, v in (overrides or {}).items():
      if k not in model:
        raise SystemExit('--model-overrides: unknown field %r; known: %s' % (k, sorted(model)))
      model[k] = tuple(v) if k == 'image_size' else v
    for k, v in model.items():
      config.model[k] = v
    n = _replace_image_size(config, old, model['image_size'])
    js = config.to_json(indent=2, sort_keys=True)
    assert not re.search(r'\[\s*%d,\s*%d\s*\]' % old, js), (
        'an image size of %s is left in the config' % (old,))
    print('config: %d image_size/target_size entries set to %s' %
          (n, model['image_size']))
  return config


def write_config_json(config, path):
  # Exactly as the official trainer (utils.py): config.to_json(indent=2,
  # sort_keys=True) written as text.
  with open(path, 'w') as f:
    f.write(config.to_json(indent=2, sort_keys=True))


# ---------------------------------------------------------------------------
# Model and the released (Keras 2) checkpoint key layout
# ---------------------------------------------------------------------------

def build_model(config, images, tokens):
  official('models.ar_model')  # registers 'encoder_ar_decoder'
  model_lib = official('models.model')
  model = model_lib.ModelRegistry.lookup(config.model.name)(config)
  model(images, tokens, training=False)  # builds every variable
  return model


def _escape(local_name):
  # TF object-graph escaping of a dependency name inside a checkpoint key.
  return local_name.replace('.', '..').replace('/', '.S')


_SKIP_ATTRS = ('_layers', '_tracker')


def keras2_variable_keys(model, root='model'):
  """Maps each model variable to its released Keras-2 checkpoint key.

  Keras 2 names a sublayer dependency by the attribute it is stored in
  (lists by index) and a variable dependency by the name given to add_weight.
  Returns a list of (key_without_suffix, variable, local_names) sorted by key.
  """
  from keras.src.layers.layer import Layer as KLayer  # pylint: disable=g-import-not-at-top
  found = {}

  def own_variables(layer):
    return list(layer._trainable_variables) + list(layer._non_trainable_variables)  # pylint: disable=protected-access

  def walk(layer, names, visiting):
    if id(layer) in visiting:
      return
    visiting = visiting | {id(layer)}
    for v in own_variables(layer):
      wname = ORIGINAL_WEIGHT_NAME.get(id(v), v.name)
      local = names + [wname]
      key = '/'.join(_escape(n) for n in local)
      if id(v) in found:
        raise ValueError('variable reachable twice: %s and %s' %
                         (found[id(v)][0], key))
      found[id(v)] = (key, v, local)
    for attr in sorted(vars(layer)):
      if attr in _SKIP_ATTRS or attr.startswith('_self_'):
        continue  # Keras / TF bookkeeping that repeats the real attributes
      val = vars(layer)[attr]
      if isinstance(val, KLayer):
        walk(val, names + [attr], visiting)
      elif isinstance(val, (list, tuple)):
        for i, item in enumerate(val):
          if isinstance(item, KLayer):
            walk(item, names + [attr, str(i)], visiting)
      elif isinstance(val, dict):
        for k in sorted(val):
          if isinstance(val[k], KLayer):
            walk(val[k], names + [attr, str(k)], visiting)

  walk(model, [root], frozenset())
  all_vars = {id(v): v for v in model.weights}
  missing = [v.path for i, v in all_vars.items() if i not in found]
  if missing:
    raise ValueError('variables without a checkpoint key: %s' % missing)
  extra = [found[i][0] for i in found if i not in all_vars]
  if extra:
    raise ValueError('keys for non-model variables: %s' % extra)
  keys = sorted(found.values(), key=lambda t: t[0])
  assert len(set(k for k, _, _ in keys)) == len(keys)
  return keys


def fan_in(key, shape):
  """Fan-in used for the random kernels."""
  if '/_query_dense/' in key or '/_key_dense/' in key or '/_value_dense/' in key:
    return shape[0]          # EinsumDense [D, H, dh]: input axis D
  return int(np.prod(shape[:-1]))  # Dense [in,out], Conv [P,P,C,D], out [H,dh,D]


def randomise(keys, seed):
  rng = np.random.default_rng([seed, 0x9E37])
  rules = {}
  for key, v, _ in keys:   # sorted by key: deterministic draw order
    shape = tuple(v.shape)
    leaf = key.rsplit('/', 1)[-1]
    if leaf == 'kernel':
      std, mean, rule = 1.0 / math.sqrt(fan_in(key, shape)), 0.0, 'kernel'
    elif leaf == 'bias':
      std, mean, rule = 0.1, 0.0, 'bias'
    elif leaf == 'gamma':
      std, mean, rule = 0.2, 1.0, 'ln_gamma'
    elif leaf == 'beta':
      std, mean, rule = 0.2, 0.0, 'ln_beta'
    elif leaf.endswith('.Stoken_embedding'):
      std, mean, rule = 0.3, 0.0, 'token_embedding'
    elif leaf.endswith('.Sseq_pos_embedding'):
      std, mean, rule = 2.0, 0.0, 'seq_pos_embedding'
    elif leaf.endswith('.Soutp_bias'):
      std, mean, rule = 0.1, 0.0, 'outp_bias'
    else:
      raise ValueError('no randomisation rule for %s' % key)
    value = (mean + std * rng.standard_normal(shape)).astype(np.float32)
    v.assign(value)
    rules[key] = '%s: normal(mean=%g, std=%.6g)' % (rule, mean, std)
  return rules


def object_graph_proto(var_keys, extra_root_vars, slot_specs):
  """A TrackableObjectGraph for the written keys (as in real checkpoints)."""
  from tensorflow.core.protobuf import trackable_object_graph_pb2 as tog  # pylint: disable=g-import-not-at-top
  graph = tog.TrackableObjectGraph()
  graph.nodes.add()  # root
  child_index = {}   # (parent_id, local_name) -> node id
  leaf_node = {}     # key -> node id

  def node_for(path_names):
    parent = 0
    for name in path_names:
      k = (parent, name)
      if k not in child_index:
        graph.nodes.add()
        nid = len(graph.nodes) - 1
        child_index[k] = nid
        ref = graph.nodes[parent].children.add()
        ref.node_id = nid
        ref.local_name = name
      parent = child_index[k]
    return parent

  for key, local_names, full_name in var_keys + extra_root_vars:
    nid = node_for(local_names)
    att = graph.nodes[nid].attributes.add()
    att.name = 'VARIABLE_VALUE'
    att.full_name = full_name
    att.checkpoint_key = key + '/.ATTRIBUTES/VARIABLE_VALUE'
    leaf_node[key] = nid
  opt_id = node_for(['optimizer'])
  for orig_key, slot_name, slot_key in slot_specs:
    graph.nodes.add()
    sid = len(graph.nodes) - 1
    att = graph.nodes[sid].attributes.add()
    att.name = 'VARIABLE_VALUE'
    att.full_name = '%s/%s' % (orig_key, slot_name)
    att.checkpoint_key = slot_key + '/.ATTRIBUTES/VARIABLE_VALUE'
    ref = graph.nodes[opt_id].slot_variables.add()
    ref.original_variable_node_id = leaf_node[orig_key]
    ref.slot_name = slot_name
    ref.slot_variable_node_id = sid
  return graph.SerializeToString()


def write_released_checkpoint(keys, prefix, seed):
  """Writes ckpt bundle with released Keras-2 keys plus the usual extras."""
  rng = np.random.default_rng([seed, 0x51075])
  names, tensors = [], []
  var_keys = []
  for key, v, local in keys:
    names.append(key + '/.ATTRIBUTES/VARIABLE_VALUE')
    tensors.append(tf.convert_to_tensor(v.numpy()))
    full = '/'.join(local[1:])  # Keras-2-like variable name (no 'model/')
    var_keys.append((key, local, full))
  extra_root = [
      ('global_step', ['global_step'], 'global_step'),
      ('save_counter', ['save_counter'], 'save_counter'),
      ('optimizer/iter', ['optimizer', 'iter'], 'iter'),
  ]
  names += ['global_step/.ATTRIBUTES/VARIABLE_VALUE',
            'save_counter/.ATTRIBUTES/VARIABLE_VALUE',
            'optimizer/iter/.ATTRIBUTES/VARIABLE_VALUE']
  tensors += [tf.constant(12345, tf.int64), tf.constant(1, tf.int64),
              tf.constant(12345, tf.int64)]
  slot_for = [k for k, _, _ in keys
              if k.endswith('model/proj/kernel')
              or k.endswith('.Soutp_bias')
              or k.endswith('dec_layers/0/self_mha/_query_dense/kernel')
              or k.endswith('enc_layers/1/mlp/layernorms/0/gamma')]
  assert len(slot_for) == 4, slot_for
  by_key = {k: v for k, v, _ in keys}
  slot_specs = []
  for k in slot_for:
    shape = tuple(by_key[k].shape)
    for slot in ('m', 'v'):
      val = rng.standard_normal(shape).astype(np.float32) * 0.01
      if slot == 'v':
        val = np.abs(val) * 0.01
      skey = '%s/.OPTIMIZER_SLOT/optimizer/%s' % (k, slot)
      names.append(skey + '/.ATTRIBUTES/VARIABLE_VALUE')
      tensors.append(tf.constant(val))
      slot_specs.append((k, slot, skey))
  graph = object_graph_proto(var_keys, extra_root, slot_specs)
  names.append('_CHECKPOINTABLE_OBJECT_GRAPH')
  tensors.append(tf.constant(graph, tf.string))
  tf.raw_ops.SaveV2(prefix=prefix, tensor_names=names,
                    shape_and_slices=[''] * len(names), tensors=tensors)
  return len(names), len(slot_specs)


def check_checkpoint(prefix, keys):
  listed = dict(tf.train.list_variables(prefix))
  reader = tf.train.load_checkpoint(prefix)
  model_keys = [k for k in listed if k.startswith('model/') and
                '.OPTIMIZER_SLOT' not in k]
  assert len(model_keys) == len(keys), (len(model_keys), len(keys))
  for key, v, _ in keys:
    full = key + '/.ATTRIBUTES/VARIABLE_VALUE'
    assert full in listed, full
    assert tuple(listed[full]) == tuple(v.shape), (full, listed[full], v.shape)
    assert np.array_equal(reader.get_tensor(full), v.numpy()), full
  # The object graph must parse and point at exactly the written tensors.
  from tensorflow.core.protobuf import trackable_object_graph_pb2 as tog  # pylint: disable=g-import-not-at-top
  graph = tog.TrackableObjectGraph()
  graph.ParseFromString(reader.get_tensor('_CHECKPOINTABLE_OBJECT_GRAPH'))
  graph_keys = [a.checkpoint_key for n in graph.nodes for a in n.attributes]
  assert len(graph_keys) == len(set(graph_keys))
  assert set(graph_keys) | {'_CHECKPOINTABLE_OBJECT_GRAPH'} == set(listed)
  print('checkpoint: %d entries listed, %d model variables, each once with '
        'the right shape and value' % (len(listed), len(model_keys)))
  return reader, len(listed), len(model_keys)


# ---------------------------------------------------------------------------
# Independent numpy forward pass from checkpoint keys (checks shim + keys)
# ---------------------------------------------------------------------------

def np_reference_logits(get, mcfg, images, tokens):
  """Our own float64 re-derivation of the official forward pass."""
  def w(name):
    return np.asarray(get(name + '/.ATTRIBUTES/VARIABLE_VALUE'), np.float64)

  def ln(x, p):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + 1e-6) * w(p + '/gamma') + w(p + '/beta')

  def dense(x, p):
    return x @ w(p + '/kernel') + w(p + '/bias')

  erf = np.vectorize(math.erf)

  def gelu(x):
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))

  def mlp(x, p):   # MLP(num_layers=1): x + dense2(gelu(dense1(ln(x))))
    h = ln(x, p + '/layernorms/0')
    h = gelu(dense(h, p + '/mlp_layers/0/dense1'))
    return x + dense(h, p + '/mlp_layers/0/dense2')

  def mha(xq, xkv, p, mask=None):
    q = np.einsum('btd,dhk->bthk', xq, w(p + '/_query_dense/kernel')) + w(p + '/_query_dense/bias')
    k = np.einsum('bsd,dhk->bshk', xkv, w(p + '/_key_dense/kernel')) + w(p + '/_key_dense/bias')
    v = np.einsum('bsd,dhk->bshk', xkv, w(p + '/_value_dense/kernel')) + w(p + '/_value_dense/bias')
    s = np.einsum('bthk,bshk->bhts', q, k) / math.sqrt(q.shape[-1])
    if mask is not None:
      s = np.where(mask, s, -np.inf)
    s = s - s.max(-1, keepdims=True)
    a = np.exp(s)
    a = a / a.sum(-1, keepdims=True)
    o = np.einsum('bhts,bshk->bthk', a, v)
    return np.einsum('bthk,hkd->btd', o, w(p + '/_output_dense/kernel')) + w(p + '/_output_dense/bias')

  def sincos_1d(coords, dim):
    i = np.arange(dim // 2)
    freq = 1.0 / np.power(10000.0, 2 * i / dim)
    ang = coords[:, None] * freq[None, :]
    return np.concatenate([np.sin(ang), np.cos(ang)], -1)

  def sincos_2d(h, wd, dim):
    norm = 6.2831852
    ys = sincos_1d(np.arange(h) / (h - 1) * norm, dim // 2)
    xs = sincos_1d(np.arange(wd) / (wd - 1) * norm, dim // 2)
    out = np.zeros((h, wd, dim))
    out[:, :, :dim // 2] += ys[:, None, :]
    out[:, :, dim // 2:] += xs[None, :, :]
    return out.reshape(h * wd, dim)

  x = np.asarray(images, np.float64)
  b, hh, ww, c = x.shape
  pz = mcfg.patch_size
  nr, nc = hh // pz, ww // pz
  patches = x.reshape(b, nr, pz, nc, pz, c).transpose(0, 1, 3, 2, 4, 5)
  e = 'model/encoder'
  tok = np.einsum('brcpqk,pqkd->brcd', patches, w(e + '/stem_conv/kernel')) + w(e + '/stem_conv/bias')
  tok = tok.reshape(b, nr * nc, -1)
  tok = ln(tok, e + '/stem_ln') + sincos_2d(nr, nc, mcfg.dim_att)[None]
  for i in range(mcfg.num_encoder_layers):
    p = '%s/transformer_encoder/enc_layers/%d' % (e, i)
    h = ln(tok, p + '/mha_ln')
    tok = tok + mha(h, h, p + '/mha')
    tok = mlp(tok, p + '/mlp')
  enc = ln(tok, e + '/output_ln')
  enc = ln(dense(enc, 'model/proj'), 'model/proj_ln')
  enc = enc + sincos_2d(nr, nc, mcfg.dim_att_dec)[None]
  enc = mlp(enc, 'model/proj_mlp')

  d = 'model/decoder'
  emb = w(d + '/ar_decoder.Stoken_embedding')
  t = tokens.shape[1]
  y = emb[tokens] + w(d + '/ar_decoder.Sseq_pos_embedding')[:t][None]
  causal = np.tril(np.ones((t, t), bool))[None, None]
  for i in range(mcfg.num_decoder_layers):
    p = '%s/decoder/dec_layers/%d' % (d, i)
    h = ln(y, p + '/self_ln')
    y = y + mha(h, h, p + '/self_mha', causal)
    h = ln(y, p + '/cross_ln')
    y = y + mha(h, enc, p + '/cross_mha')
    y = mlp(y, p + '/mlp')
  y = ln(y, d + '/output_ln')
  return y @ emb.T + w(d + '/ar_decoder.Soutp_bias')


def check_gelu():
  """Dense(activation=tf.nn.gelu) must be the exact erf GELU under the shim."""
  layer = tf.keras.layers.Dense(4, activation=tf.nn.gelu)
  x = np.linspace(-4, 4, 64, dtype=np.float32).reshape(16, 4)
  layer(x)
  layer.kernel.assign(np.array([[1.0, -0.5, 0.25, 2.0]] * 4, np.float32) / 2)
  layer.bias.assign(np.array([0.1, -0.2, 0.3, 0.0], np.float32))
  y = layer(x).numpy()
  pre = x @ layer.kernel.numpy() + layer.bias.numpy()
  pre = pre.astype(np.float64)
  exact = 0.5 * pre * (1 + np.vectorize(math.erf)(pre / math.sqrt(2)))
  tanh = 0.5 * pre * (1 + np.tanh(math.sqrt(2 / math.pi) * (pre + 0.044715 * pre ** 3)))
  d_exact = float(np.abs(y - exact).max())
  d_tanh = float(np.abs(y - tanh).max())
  assert d_exact < 1e-6 and d_tanh > 1e-5, (d_exact, d_tanh)
  return {'max_abs_diff_to_erf_gelu': d_exact, 'max_abs_diff_to_tanh_gelu': d_tanh}


# ---------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------

def make_images(rng, n, h, w):
  yy, xx = np.meshgrid(np.linspace(0, 1, h), np.linspace(0, 1, w), indexing='ij')
  imgs, rects = [], []
  for _ in range(n):
    a = rng.uniform(0.2, 0.8, size=3)
    gy = rng.uniform(-0.3, 0.3, size=3)
    gx = rng.uniform(-0.3, 0.3, size=3)
    ph = rng.uniform(0, 2 * np.pi, size=3)
    img = (a[None, None] + gy[None, None] * yy[..., None] + gx[None, None] * xx[..., None]
           + 0.05 * np.sin(6 * xx[..., None] + 4 * yy[..., None] + ph[None, None]))
    boxes = []
    for _ in range(3):
      y0, x0 = rng.integers(0, h - 16), rng.integers(0, w - 16)
      y1, x1 = y0 + rng.integers(8, 24), x0 + rng.integers(8, 24)
      y1, x1 = min(y1, h), min(x1, w)
      img[y0:y1, x0:x1] = rng.uniform(0, 1, size=3)
      boxes.append((int(y0), int(x0), int(y1), int(x1)))
    imgs.append(np.clip(img, 0, 1))
    rects.append(boxes)
  return np.stack(imgs).astype(np.float32), rects


def make_tokens(rng, seq_len=24):
  r = lambda lo, hi, k: [int(t) for t in rng.integers(lo, hi, size=k)]  # noqa: E731
  # row 0: detection-like: task 10, 4 objects of (y x y x class), one FAKE class
  row0 = [10]
  for j in range(4):
    row0 += r(1000, 2000, 4) + ([30] if j == 2 else r(100, 180, 1))
  row0 += [1000, 1999, 3]
  # row 1: instance prompt (11, box, class) + polygon with SEPARATOR, then
  # keypoint-ish INVISIBLE tokens, then 0 padding at the end
  row1 = [11] + r(1000, 2000, 4) + r(100, 180, 1) + r(1000, 2000, 5) + [40] + \
         r(1000, 2000, 3) + [41, 41, 12]
  row1 += [0] * (seq_len - len(row1))
  # row 2: captioning (13) with text tokens, text EOS (3001), keypoint task id
  row2 = [13] + r(3000, 3256, 9) + [3255, 3000, 3001, 12] + r(1000, 2000, 4) + \
         [41, 41] + r(100, 1000, 1) + [1999, 1000, 30]
  rows = [row0[:seq_len], row1, row2[:seq_len]]
  for row in rows:
    assert len(row) == seq_len, (len(row), row)
  return np.array(rows, dtype=np.int64)


# ---------------------------------------------------------------------------
# Greedy decoding with the official prompts
# ---------------------------------------------------------------------------

def greedy_cases(config, rects, image_hw):
  """One prompt per task and image, built by the official task code paths."""
  task_utils = official('tasks.task_utils')
  tasks = {t.name: t for t in config.tasks}
  mcfg = config.model
  h, w = image_hw
  n = len(rects)
  cases = []
  for tname in ('object_detection', 'instance_segmentation',
                'keypoint_detection', 'captioning'):
    t = tasks[tname]
    if tname in ('object_detection', 'captioning'):
      prompt = task_utils.build_prompt_seq_from_task_id(
          t.vocab_id, prompt_shape=(n, 1))
      note = ('task_utils.build_prompt_seq_from_task_id(vocab_id=%d, '
              'prompt_shape=(bsz, 1)): the single task token, as %s.infer '
              'builds it.' % (t.vocab_id, tname))
    else:
      # Box = the first rectangle drawn into each image, normalised yxyx in
      # [0,1] of the (64x64, already padded-size) model input, class 1 for
      # keypoints (person) and class 18 for segmentation.
      label = 1 if tname == 'keypoint_detection' else 18
      boxes = np.array([[[r[0][0] / h, r[0][1] / w, r[0][2] / h, r[0][3] / w]]
                        for r in rects], np.float32)          # (bsz, 1, 4)
      labels = np.full((n, 1), label, np.int64)                # (bsz, 1)
      prompt = task_utils.build_instance_prompt_seq(
          t.vocab_id, tf.constant(boxes), tf.constant(labels),
          t.quantization_bins, mcfg.coord_vocab_shift)          # (bsz, 1, 6)
      note = ('task_utils.build_instance_prompt_seq(vocab_id=%d, bbox, label=%d, '
              'quantization_bins=%d, coord_vocab_shift=%d) as %s.infer builds '
              'the second-stage prompt from (gt or detected) boxes: '
              '[task, ymin, xmin, ymax, xmax, class+100], coordinate token = '
              'coord_vocab_shift + int64(tf.round(c * (bins-1))) clipped to '
              '[0, bins-1] (tf.round = round half to even). bbox = the first '
              'rectangle drawn into each image, in [0,1] of the model input '
              '(y0/64, x0/64, y1/64, x1/64, with y1/x1 exclusive pixel ends). '
              'Prompt shape (bsz, 1 instance, 6) as in the official code, so '
              'model.infer tiles the encoded image per instance.' % (
                  t.vocab_id, label, t.quantization_bins,
                  mcfg.coord_vocab_shift, tname))
      if tname == 'instance_segmentation':
        note += (' Official eval uses num_samples=ensemble_num_samples (8) '
                 'with top_p sampling; here num_samples=1, greedy.')
      else:
        note += (' Official eval crops the image around the box first '
                 '(crop_to_bbox, pad scale 0.5) so its box is relative to the '
                 'crop, and afterwards re-samples with INVISIBLE (41) '
                 'suppressed (eval_suppress_invisible_token); neither is '
                 'applied here: full image, raw model.infer output.')
      cases.append((tname, prompt, note, boxes.tolist()))
      continue
    cases.append((tname, prompt, note, None))
  return cases


def run_greedy(model, images, cases, seed):
  out = []
  checks = []
  for tname, prompt, note, boxes in cases:
    prompt = tf.cast(prompt, tf.int64)
    plen = int(prompt.shape[-1])
    max_len = plen + GREEDY_EXTRA_STEPS
    tf.random.set_seed(seed)
    pred_seq, logits, _ = model.infer(
        images, prompt, max_seq_len=max_len, temperature=1, top_k=1, top_p=1.0)
    pred_seq = pred_seq.numpy()
    logits = logits.numpy()
    flat_prompt = prompt.numpy().reshape(-1, plen)
    assert pred_seq.shape == (images.shape[0], max_len - plen), pred_seq.shape
    # The logits at step k are those that produced generated token k.
    argmax = logits.argmax(-1)
    assert np.array_equal(argmax, pred_seq), 'greedy != argmax of its logits'
    # Teacher-forced check: model(images, prompt + generated[:-1]).
    full = np.concatenate([flat_prompt, pred_seq[:, :-1]], 1)
    tf_logits = model(images, tf.constant(full), training=False).numpy()
    tf_part = tf_logits[:, plen - 1:, :]
    same = bool(np.array_equal(tf_part.argmax(-1), pred_seq))
    diff = float(np.abs(tf_part - logits).max())
    assert same, tname
    checks.append({'task': tname, 'teacher_forced_argmax_equals_greedy': same,
                   'max_abs_diff_cached_vs_teacher_forced_logits': diff})
    for i in range(images.shape[0]):
      rec = {
          'task': tname,
          'image': i,
          'prompt': [int(t) for t in flat_prompt[i]],
          'max_seq_len': max_len,
          'generated': [int(t) for t in pred_seq[i]],
          'argmax': [int(t) for t in argmax[i]],
          'max_logit': [float(v) for v in logits[i].max(-1)],
          'note': note,
      }
      if boxes is not None:
        rec['prompt_box_yxyx'] = [float(v) for v in boxes[i][0]]
      out.append(rec)
  return out, checks


# ---------------------------------------------------------------------------
# Official inference preprocessing
# ---------------------------------------------------------------------------

PREPROCESS_FACTS = {
    'pipeline': (
        'Eval path of the official data pipeline: data/decode_utils.decode_image '
        '(tf.io.decode_image(channels=3) then tf.image.convert_image_dtype(uint8 '
        '-> float32), i.e. float32(v) * float32(1/255) (a multiply, not a '
        'division), values in [0,1]); then the task eval_transforms from '
        'configs/transform_configs.py (object detection: '
        'record_original_image_size, resize_image, pad_image_to_max_size, '
        'truncate_or_pad_to_max_instances; captioning: resize_image, '
        'pad_image_to_max_size; segmentation / keypoints likewise, plus '
        'crop_to_bbox for keypoints before the transforms).'),
    'resize': (
        "resize_image: tf.image.resize(image, image_size, method='bilinear', "
        'antialias=True, preserve_aspect_ratio=True). Target size: s = '
        'min(H_t/h, W_t/w) in float32; new_h = int(tf.round(s*h)), new_w = '
        'int(tf.round(s*w)) (round half to even); the resize runs even when '
        'the size is unchanged. With antialias=True TF runs ScaleAndTranslate '
        "(kernel_type='triangle', antialias=True, translation 0) with a "
        'per-axis scale = new_size/old_size (float32; e.g. 50x30 -> 64x38 uses '
        '1.28 and 38/30, not s for both). Separable; for output index i: '
        'centre c = (i+0.5)/scale (in input pixel units), kernel scale k = '
        'max(1/scale, 1), input pixels j from ceil(c - k - 0.5) to '
        'floor(c + k - 0.5) clamped to [0, n-1], weight = max(0, 1 - |j + 0.5 '
        '- c| / k), weights divided by their sum (so pixels beyond the border '
        'are dropped and the rest renormalised, no edge replication). When '
        'enlarging (k = 1) this is ordinary half-pixel-centre bilinear; when '
        'shrinking the triangle is widened by 1/scale (area-like, as PIL '
        'bilinear). Output float32 in [0,1], no clipping or rounding. '
        'preprocess.json records the max difference between the official '
        'output and our float64 numpy transcription of this description.'),
    'padding': (
        'pad_image_to_max_size: image = 0.3 + tf.image.pad_to_bounding_box('
        'image - 0.3, 0, 0, H_t, W_t): the resized image stays at the top-left '
        'corner, padding goes to the bottom and the right with value 0.3 '
        '(float32). Note the in-image pixels are (x - 0.3f) + 0.3f in float32, '
        'which can differ from x in the last bit. unpadded_image_size = the '
        'resized (new_h, new_w); orig_image_size = the decoded (h, w).'),
    'value_range': 'float32 in [0,1]; no mean/std normalisation anywhere.',
    'box_mapping_back': (
        'Predicted boxes are yxyx normalised to the padded model input: '
        'coordinate = (token - coord_vocab_shift) / (quantization_bins - 1), '
        'clipped to [0,1] (task_utils.seq_to_bbox). object_detection.py '
        'postprocess_tpu (eval): scale = image_size / unpadded_image_size * '
        'orig_image_size per axis (y uses heights, x widths), box_pixels = '
        'box_normalised * scale, i.e. y_orig = y * H_t * h / new_h and x_orig = '
        'x * W_t * w / new_w (the resize factor is undone with the rounded '
        'new size, not with the float scale). Instance segmentation / keypoint '
        'points use the same scale, plus data_utils.adjust_for_crop_offset '
        'when the image was cropped to the box.'),
}


def np_resize_triangle_antialias(img, out_h, out_w):
  """Our float64 transcription of the resize described in PREPROCESS_FACTS."""
  def axis_matrix(n_in, n_out):
    scale = np.float32(n_out) / np.float32(n_in)
    k = max(1.0 / float(scale), 1.0)
    m = np.zeros((n_out, n_in))
    for i in range(n_out):
      c = (i + 0.5) / float(scale)
      lo = max(int(math.ceil(c - k - 0.5)), 0)
      hi = min(int(math.floor(c + k - 0.5)), n_in - 1)
      for j in range(lo, hi + 1):
        m[i, j] = max(0.0, 1.0 - abs(j + 0.5 - c) / k)
      m[i] /= m[i].sum()
    return m
  my = axis_matrix(img.shape[0], out_h)
  mx = axis_matrix(img.shape[1], out_w)
  return np.einsum('ij,jkc,lk->ilc', my, img.astype(np.float64), mx)


def run_preprocess(config, rng, out_dir):
  decode_utils = official('data.decode_utils')
  transforms = official('data.transforms')
  tasks = {t.name: t for t in config.tasks}
  image_size = tuple(config.model.image_size)
  sizes = [(50, 30), (31, 77)]
  inputs, outputs, records = [], [], []
  for idx, (h, w) in enumerate(sizes):
    img = rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8)
    # a few flat rectangles so the resize has edges to smooth
    for _ in range(2):
      y0, x0 = rng.integers(0, h // 2), rng.integers(0, w // 2)
      img[y0:y0 + h // 3, x0:x0 + w // 3] = rng.integers(0, 256, size=3)
    np.save(os.path.join(out_dir, 'preprocess-input-%d.npy' % idx), img)
    inputs.append(img)
    example = {'image/encoded': tf.io.encode_png(tf.constant(img))}
    box = tf.constant([[0.1, 0.2, 0.7, 0.9]], tf.float32)
    ex = {
        'image': decode_utils.decode_image(example),
        'bbox': box,
        'label': tf.constant([1], tf.int64),
        'area': tf.constant([1.0], tf.float32),
        'is_crowd': tf.constant([False]),
    }
    decoded = ex['image'].numpy()
    assert np.array_equal(decoded, img.astype(np.float32) * np.float32(1 / 255.))
    for t in tasks['object_detection'].eval_transforms:
      ex = transforms.TransformRegistry.lookup(t.name)(t).process_example(ex)
    ex_cap = {'image': decode_utils.decode_image(example)}
    for t in tasks['captioning'].eval_transforms:
      ex_cap = transforms.TransformRegistry.lookup(t.name)(t).process_example(ex_cap)
    out = ex['image'].numpy()
    assert out.shape == image_size + (3,), out.shape
    assert np.array_equal(out, ex_cap['image'].numpy())
    unpadded = [int(v) for v in ex['unpadded_image_size'].numpy()]
    orig = [int(v) for v in ex['orig_image_size'].numpy()]
    # Padding region must be exactly 0.3f.
    pad_vals = np.concatenate([out[unpadded[0]:].ravel(), out[:, unpadded[1]:].ravel()])
    assert pad_vals.size == 0 or np.all(pad_vals == np.float32(0.3))
    resized_only = tf.image.resize(decode_utils.decode_image(example), image_size,
                                   method='bilinear', antialias=True,
                                   preserve_aspect_ratio=True).numpy()
    region = out[:unpadded[0], :unpadded[1]]
    np_resized = np_resize_triangle_antialias(decoded, unpadded[0], unpadded[1])
    np_diff = float(np.abs(np_resized - region).max())
    assert np_diff < 1e-5, np_diff
    records.append({
        'input_file': 'preprocess-input-%d.npy' % idx,
        'input_hw': [h, w],
        'orig_image_size': orig,
        'unpadded_image_size': unpadded,
        'output_index': idx,
        'pad_rows': image_size[0] - unpadded[0],
        'pad_cols': image_size[1] - unpadded[1],
        'output_min': float(out.min()), 'output_max': float(out.max()),
        'in_image_values_equal_plain_resize_bitwise':
            bool(np.array_equal(region, resized_only)),
        'in_image_max_abs_diff_to_plain_resize':
            float(np.abs(region - resized_only).max()),
        'max_abs_diff_to_numpy_transcription_of_resize': np_diff,
        'gt_bbox_before': [0.1, 0.2, 0.7, 0.9],
        'gt_bbox_after_pad_transform': [float(v) for v in ex['bbox'].numpy()[0]],
        'example_box_mapping_back': {
            'computed': 'here in float64 with the formula of facts.box_mapping_back (official: float32)',
            'box_normalised_yxyx': [0.25, 0.5, 0.75, 1.0],
            'box_in_original_pixels_yxyx': [
                0.25 * image_size[0] / unpadded[0] * orig[0],
                0.5 * image_size[1] / unpadded[1] * orig[1],
                0.75 * image_size[0] / unpadded[0] * orig[0],
                1.0 * image_size[1] / unpadded[1] * orig[1]],
        },
    })
    outputs.append(out)
  outputs = np.stack(outputs).astype(np.float32)
  np.save(os.path.join(out_dir, 'preprocess-outputs.npy'), outputs)
  doc = {
      'official_commit': OFFICIAL_COMMIT,
      'image_size': list(image_size),
      'transforms_run': {
          'object_detection': [dict(t) for t in _plain(tasks['object_detection'].eval_transforms)],
          'captioning': [dict(t) for t in _plain(tasks['captioning'].eval_transforms)],
      },
      'facts': PREPROCESS_FACTS,
      'cases': records,
      'note': ('Inputs are uint8 HxWx3 (ragged, one file each); each was '
               'PNG-encoded and run through the official decode_image and the '
               'official object_detection eval transforms; the captioning eval '
               'transforms give the identical image. preprocess-outputs.npy is '
               'float32 [2, H_t, W_t, 3].'),
  }
  with open(os.path.join(out_dir, 'preprocess.json'), 'w') as f:
    json.dump(doc, f, indent=2)
  return records


def _plain(transforms_cfg):
  return [json.loads(t.to_json()) for t in transforms_cfg]


# ---------------------------------------------------------------------------
# Modes
# ---------------------------------------------------------------------------

def sha256(path):
  with open(path, 'rb') as f:
    return hashlib.sha256(f.read()).hexdigest()


def write_sentencepiece(out_dir, pieces, seed):
  """A unigram sentencepiece model with exactly as many pieces as the text range.

  The import needs a caption tokenizer whose size equals vocab_size - text_vocab_shift; the
  released models use c4_en_32k_spm.model, the small case a model trained here on template
  captions (add_bos False, add_eos True at use, as the official tokenizer config says).
  """
  import sentencepiece as spm
  rng = np.random.default_rng([seed, 0x5e7])
  syllables = ['ka', 'to', 'ri', 'me', 'sun', 'lo', 'ba', 'den', 'tri', 'vel', 'mo', 'ra',
               'chi', 'pe', 'zu', 'ol', 'an', 'is', 'ur', 'gre', 'fla', 'wen', 'dor', 'sk']
  words = ['a', 'the', 'on', 'of', 'with', 'man', 'woman', 'dog', 'cat', 'bus', 'red',
           'green', 'standing', 'sitting', 'near', 'street', 'table', 'people', 'two']
  words += [''.join(syllables[j] for j in rng.integers(len(syllables), size=rng.integers(1, 4)))
            for _ in range(400)]
  lines = []
  for _ in range(1500):
    n = int(rng.integers(5, 11))
    lines.append(' '.join(words[j] for j in rng.integers(len(words), size=n)) + '.')
  corpus = os.path.join(out_dir, '.spm-corpus.txt')
  with open(corpus, 'w') as f:
    f.write('\n'.join(lines) + '\n')
  prefix = os.path.join(out_dir, 'spm')
  try:
    spm.SentencePieceTrainer.train(
        input=corpus, model_prefix=prefix, vocab_size=pieces, model_type='unigram',
        character_coverage=1.0, seed_sentencepiece_size=100000,
        normalization_rule_name='identity',
        num_threads=1, hard_vocab_limit=True, minloglevel=2)
  finally:
    os.remove(corpus)
  os.remove(prefix + '.vocab')
  sp = spm.SentencePieceProcessor(model_file=prefix + '.model')
  assert sp.get_piece_size() == pieces, sp.get_piece_size()
  return sp.get_piece_size()


def run_small(args):
  config = build_config(small=True, overrides=json.loads(args.model_overrides or '{}'))
  mcfg = config.model
  out_dir = os.path.join(args.out, args.case)
  os.makedirs(out_dir, exist_ok=True)
  write_config_json(config, os.path.join(out_dir, 'config.json'))

  rng = np.random.default_rng(args.seed)
  tf.random.set_seed(args.seed)
  h, w = mcfg.image_size
  images, rects = make_images(rng, 3, h, w)
  tokens = make_tokens(rng)
  assert tokens.max() < mcfg.vocab_size and tokens.min() >= 0

  model = build_model(config, tf.constant(images), tf.constant(tokens))
  keys = keras2_variable_keys(model)
  rules = randomise(keys, args.seed)
  n_params = int(sum(np.prod(v.shape) for _, v, _ in keys))
  print('model: %d variables, %d parameters' % (len(keys), n_params))

  prefix = os.path.join(out_dir, 'ckpt-1')
  n_written, n_slots = write_released_checkpoint(keys, prefix, args.seed)
  reader, n_listed, n_model = check_checkpoint(prefix, keys)

  logits = model(tf.constant(images), tf.constant(tokens), training=False).numpy()
  assert logits.shape == (3, tokens.shape[1], mcfg.vocab_size)
  np.save(os.path.join(out_dir, 'images.npy'), images)
  np.save(os.path.join(out_dir, 'tokens.npy'), tokens)
  np.save(os.path.join(out_dir, 'logits.npy'), logits.astype(np.float32))

  ref = np_reference_logits(reader.get_tensor, mcfg, images, tokens)
  ref_diff = float(np.abs(ref - logits).max())
  ref_rel = ref_diff / float(np.abs(ref).max())
  print('numpy float64 forward from checkpoint keys vs official logits: '
        'max abs diff %.3g (max |logit| %.3g)' % (ref_diff, np.abs(ref).max()))
  assert ref_rel < 1e-5, ref_diff
  gelu = check_gelu()

  cases = greedy_cases(config, rects, (h, w))
  greedy, greedy_checks = run_greedy(model, tf.constant(images), cases, args.seed)
  with open(os.path.join(out_dir, 'greedy.json'), 'w') as f:
    json.dump(greedy, f, indent=1)
  for c in greedy_checks:
    print('greedy %-22s teacher-forced argmax == greedy: %s, max |dlogit| %.3g' % (
        c['task'], c['teacher_forced_argmax_equals_greedy'],
        c['max_abs_diff_cached_vs_teacher_forced_logits']))

  pre_dir = os.path.join(args.preprocess_out, args.case)
  os.makedirs(pre_dir, exist_ok=True)
  run_preprocess(config, rng, pre_dir)
  spm_pieces = write_sentencepiece(out_dir, mcfg.vocab_size - mcfg.text_vocab_shift, args.seed)

  verification = {
      'official_commit': OFFICIAL_COMMIT,
      'case': args.case, 'seed': args.seed,
      'tensorflow': tf.__version__,
      'keras': __import__('keras').__version__,
      'variables': len(keys), 'parameters': n_params,
      'checkpoint_entries': n_listed, 'checkpoint_model_variables': n_model,
      'checkpoint_optimizer_slots': n_slots,
      'numpy_forward_from_checkpoint_vs_logits_max_abs_diff': ref_diff,
      'gelu': gelu,
      'greedy_checks': greedy_checks,
      'sentencepiece_pieces': spm_pieces,
      'randomisation': rules,
  }
  with open(os.path.join(out_dir, 'verification.json'), 'w') as f:
    json.dump(verification, f, indent=1, sort_keys=True)

  for folder in sorted({out_dir, pre_dir}):
    total = 0
    print('files in %s:' % folder)
    for name in sorted(os.listdir(folder)):
      size = os.path.getsize(os.path.join(folder, name))
      total += size
      print('  %-34s %9d  %s' % (name, size, sha256(os.path.join(folder, name))[:16]))
    print('  total %d bytes' % total)


def run_structure(args):
  if args.structure != 'vit-b-640':
    raise SystemExit('unknown --structure %s' % args.structure)
  config = build_config(small=False)
  mcfg = config.model
  assert tuple(mcfg.image_size) == (640, 640) and mcfg.vocab_size == 35000
  assert mcfg.max_seq_len == 512 and mcfg.resnet_variant == 'c1'
  images = tf.zeros([1, 640, 640, 3])
  tokens = tf.zeros([1, 1], tf.int64)
  model = build_model(config, images, tokens)
  keys = keras2_variable_keys(model)
  n_params = int(sum(np.prod(v.shape) for _, v, _ in keys))
  os.makedirs(args.out, exist_ok=True)
  path = os.path.join(args.out, 'vit-b-640-variables.tsv')
  with open(path, 'w') as f:
    f.write('# official google-research/pix2seq commit %s, multi-task ViT-B '
            '640x640 (configs/config_multi_task.py, architecture vit-b, '
            'vocab_size %d, max_seq_len %d): variables=%d parameters=%d; '
            'key<TAB>dtype<TAB>shape; checkpoint key = key + '
            '"/.ATTRIBUTES/VARIABLE_VALUE"\n' % (
                OFFICIAL_COMMIT, mcfg.vocab_size, mcfg.max_seq_len,
                len(keys), n_params))
    for key, v, _ in keys:
      f.write('%s\t%s\t%s\n' % (key, v.dtype, ','.join(str(int(d)) for d in v.shape)))
  print('vit-b-640: %d variables, %d parameters -> %s (%d bytes)' % (
      len(keys), n_params, path, os.path.getsize(path)))


def main():
  here = os.path.dirname(os.path.abspath(__file__))
  repo_root = os.path.abspath(os.path.join(here, '..', '..'))
  parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
  parser.add_argument('--official-src', required=True,
                      help='checkout of google-research/pix2seq at eabd4e9')
  parser.add_argument('--out', default=None,
                      help='output folder (default: pix2seq-backend-tests/src/test/resources/'
                      'official-golden, or for --structure pix2seq-official/src/test/'
                      'resources/official-golden)')
  parser.add_argument('--preprocess-out', default=None,
                      help='output folder of the preprocessing files (default: --out when '
                      'given, else pix2seq-runtime/src/test/resources/official-golden)')
  parser.add_argument('--seed', type=int, default=1)
  parser.add_argument('--case', default='small')
  parser.add_argument('--model-overrides', default=None,
                      help='JSON object of model fields that replace the small case\'s, e.g. '
                      '\'{"image_size": [96, 96], "patch_size": 16, "dim_att": 48, '
                      '"num_heads": 3}\' (the vocabulary must stay 3256)')
  parser.add_argument('--structure', default=None,
                      help="'vit-b-640': variable table of the full model only")
  args = parser.parse_args()
  if not os.path.isfile(os.path.join(args.official_src, 'models', 'ar_model.py')):
    raise SystemExit('--official-src does not look like the pix2seq source')
  if args.preprocess_out is None:
    args.preprocess_out = args.out or os.path.join(
        repo_root, 'pix2seq-runtime', 'src', 'test', 'resources', 'official-golden')
  if args.out is None:
    module = 'pix2seq-official' if args.structure else 'pix2seq-backend-tests'
    args.out = os.path.join(repo_root, module, 'src', 'test', 'resources', 'official-golden')
  install_shim(args.official_src)
  if args.structure:
    run_structure(args)
  else:
    run_small(args)


if __name__ == '__main__':
  main()
