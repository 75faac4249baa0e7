#!/usr/bin/env python3
"""PyTorch 2 eager reference of the pix2seq-java network, and a benchmark.

The network is the math of ``pix2seq-model-djl``'s ``Pix2seqNetwork`` (written down in
``docs/checkpoint-format.md``): conv stem or patch convolution, patch LayerNorm plus fixed
positions, a pre-LN ViT encoder (tokens centred per image in the default variant), the bridge,
and a pre-LN decoder with causal self-attention, cross-attention over the memory and the token
embedding as output matrix. Attention is ``torch.nn.functional.scaled_dot_product_attention``.

Two modes:

* benchmark (default): the measurements of the Java ``pix2seq bench`` command
  (``ThroughputBenchmark``): greedy decoding tokens/s with the key/value cache and with full
  recomputation, and training images/s of one AdamW step, medians after a warm-up, plus a
  step-time breakdown;
* ``--check RUN_DIR``: teacher-forced logits of a Java checkpoint compared with the Java
  ``logits`` command of each backend, proving that the benchmark runs the same network.

Python is a tool here only; the library never depends on it. See README.md beside this file.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import platform
import shlex
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

import numpy as np
import torch
import torch.nn.functional as F

# --------------------------------------------------------------------------------------------
# Model configuration (pix2seq-api: config/ModelConfig.java, config/NetworkVariant.java)
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ModelConfig:
    """The fields of the Java ``ModelConfig`` record, with their JSON names."""

    version: int
    preset: str
    imageSize: int
    patchSize: int
    convStem: bool
    encoderLayers: int
    encoderWidth: int
    encoderHeads: int
    encoderMlp: int
    decoderLayers: int
    decoderWidth: int
    decoderHeads: int
    decoderMlp: int
    maxSequenceLength: int
    dropout: float
    dropPath: float
    layerNormEpsilon: float
    network: str = "pix2seq-java"

    @property
    def centres_tokens(self) -> bool:
        """``NetworkVariant.centresTokens()``: only the default variant centres tokens."""
        return self.network == "pix2seq-java"

    @property
    def grid_side(self) -> int:
        return self.imageSize // self.patchSize


def _preset(name, image, patch, stem, le, we, he, me, ld, wd, hd, md, length, drop, path,
            network="pix2seq-java"):
    return ModelConfig(1, name, image, patch, stem, le, we, he, me, ld, wd, hd, md, length, drop,
                       path, 1e-6, network)


# The presets of ModelConfig.presets(), field for field.
PRESETS = {
    "tiny": _preset("tiny", 128, 16, True, 2, 128, 4, 512, 2, 128, 4, 512, 320, 0.0, 0.0),
    "demo": _preset("demo", 128, 16, True, 3, 128, 4, 512, 2, 160, 4, 640, 160, 0.0, 0.0),
    "small": _preset("small", 384, 16, False, 12, 384, 6, 1536, 4, 256, 8, 1024, 512, 0.1, 0.1),
    "base": _preset("base", 640, 16, False, 12, 768, 12, 3072, 6, 512, 16, 2048, 512, 0.1, 0.1),
    "official": _preset("official", 640, 16, False, 12, 768, 12, 3072, 6, 512, 16, 2048, 512,
                        0.0, 0.0, "official"),
    "official-vit-b-640": _preset("official-vit-b-640", 640, 16, False, 12, 768, 12, 3072, 6,
                                  512, 16, 2048, 512, 0.0, 0.0, "official"),
    "official-vit-b-1024": _preset("official-vit-b-1024", 1024, 16, False, 12, 768, 12, 3072, 6,
                                   512, 16, 2048, 512, 0.0, 0.0, "official"),
    "official-vit-l-640": _preset("official-vit-l-640", 640, 16, False, 24, 1024, 16, 4096, 8,
                                  512, 16, 2048, 512, 0.0, 0.0, "official"),
}

# The default vocabulary layout (pix2seq-tokenizer's vocab-layout.json) puts text tokens from
# 3000 on; the Java bench uses that layout plus --text-vocab (1000) text tokens: 4000 in all.
DEFAULT_TEXT_BASE = 3000

# The detection task token, the one-token prompt of the Java benchmark.
PROMPT_TOKEN = 10


def model_config_from_json(obj: dict) -> ModelConfig:
    """A ModelConfig JSON object: the preset it names (``tiny`` if none) with its fields as
    overrides, as ``ConfigIO.parseModel`` reads it; unknown fields are errors."""
    base = PRESETS[obj.get("preset", "tiny")]
    fields = {f.name for f in dataclasses.fields(ModelConfig)}
    unknown = set(obj) - fields
    if unknown:
        raise ValueError(f"unknown ModelConfig fields: {sorted(unknown)}")
    config = dataclasses.replace(base, **obj)
    if config.imageSize % config.patchSize:
        raise ValueError("patchSize must divide imageSize")
    if config.network not in ("pix2seq-java", "official"):
        raise ValueError(f"unknown network variant {config.network!r}")
    return config


def read_model_json(path: Path) -> tuple[ModelConfig, int | None]:
    """A model config file: either a checkpoint's ``model.json`` (the config under ``model``,
    with ``vocabSize``) or a bare ModelConfig (preset plus overrides). Returns the config and
    the vocabulary size when the file has one."""
    obj = json.loads(Path(path).read_text())
    if isinstance(obj.get("model"), dict):
        return model_config_from_json(obj["model"]), obj.get("vocabSize")
    return model_config_from_json(obj), None


# --------------------------------------------------------------------------------------------
# Parameter layout (pix2seq-api: network/ParameterLayout.java, ConvStem.java, ParameterSpec.java)
# --------------------------------------------------------------------------------------------


class ConvStem(NamedTuple):
    stages: int
    channels: tuple[int, ...]
    patch_kernel: int

    @staticmethod
    def of(patch: int, width: int, enabled: bool) -> "ConvStem":
        """``stages`` = largest t with 2^t | patch and 2^(t+1) <= patch; stage i has
        max(1, width >> (stages - i)) channels; then a patch conv of kernel patch >> stages."""
        if not enabled:
            return ConvStem(0, (), patch)
        stages = 0
        while patch % (1 << (stages + 1)) == 0 and (1 << (stages + 2)) <= patch:
            stages += 1
        channels = tuple(max(1, width >> (stages - i)) for i in range(stages))
        return ConvStem(stages, channels, patch >> stages)

    def stage_input(self, i: int) -> int:
        return 3 if i == 0 else self.channels[i - 1]

    def patch_input(self) -> int:
        return 3 if self.stages == 0 else self.channels[-1]


class Spec(NamedTuple):
    name: str
    shape: tuple[int, ...]
    init: str  # "normal002", "fan_in", "zeros" or "ones"
    decayed: bool  # whether AdamW's weight decay applies


def parameter_layout(config: ModelConfig, vocab: int) -> list[Spec]:
    """Every parameter in checkpoint order, with the names of docs/checkpoint-format.md."""
    if config.encoderWidth % 4 or config.decoderWidth % 4:
        raise ValueError("encoderWidth and decoderWidth must be multiples of 4")
    specs: list[Spec] = []
    we, wd = config.encoderWidth, config.decoderWidth

    def linear(prefix, out, inp, init="normal002"):
        specs.append(Spec(prefix + ".weight", (out, inp), init, True))
        specs.append(Spec(prefix + ".bias", (out,), "zeros", False))

    def conv(prefix, out, inp, k):
        specs.append(Spec(prefix + ".weight", (out, inp, k, k), "fan_in", True))
        specs.append(Spec(prefix + ".bias", (out,), "zeros", False))

    def norm(prefix, width):
        specs.append(Spec(prefix + ".weight", (width,), "ones", False))
        specs.append(Spec(prefix + ".bias", (width,), "zeros", False))

    stem = ConvStem.of(config.patchSize, we, config.convStem)
    for i in range(stem.stages):
        conv(f"encoder.stem.{i}", stem.channels[i], stem.stage_input(i), 3)
    conv("encoder.patch", we, stem.patch_input(), stem.patch_kernel)
    norm("encoder.patch_norm", we)
    for l in range(config.encoderLayers):
        p = f"encoder.layers.{l}."
        norm(p + "attention_norm", we)
        linear(p + "attention.qkv", 3 * we, we)
        linear(p + "attention.output", we, we)
        norm(p + "mlp_norm", we)
        linear(p + "mlp.fc1", config.encoderMlp, we)
        linear(p + "mlp.fc2", we, config.encoderMlp)
    norm("encoder.norm", we)
    linear("bridge.projection", wd, we)
    norm("bridge.norm", wd)
    norm("bridge.mlp_norm", wd)
    linear("bridge.mlp.fc1", config.decoderMlp, wd)
    linear("bridge.mlp.fc2", wd, config.decoderMlp)
    specs.append(Spec("decoder.token_embedding", (vocab, wd), "normal002", True))
    specs.append(Spec("decoder.position_embedding", (config.maxSequenceLength, wd), "normal002",
                      False))
    for l in range(config.decoderLayers):
        p = f"decoder.layers.{l}."
        norm(p + "self_attention_norm", wd)
        linear(p + "self_attention.qkv", 3 * wd, wd)
        linear(p + "self_attention.output", wd, wd)
        norm(p + "cross_attention_norm", wd)
        linear(p + "cross_attention.query", wd, wd)
        linear(p + "cross_attention.key_value", 2 * wd, wd)
        linear(p + "cross_attention.output", wd, wd, init="zeros")
        norm(p + "mlp_norm", wd)
        linear(p + "mlp.fc1", config.decoderMlp, wd)
        linear(p + "mlp.fc2", wd, config.decoderMlp)
    norm("decoder.norm", wd)
    specs.append(Spec("decoder.output_bias", (vocab,), "zeros", False))
    return specs


def random_weights(specs: list[Spec], seed: int) -> dict[str, torch.Tensor]:
    """Fresh weights with the distributions of InitialWeights (not its values): normal(0, 0.02)
    or normal(0, 1/sqrt(fan_in)) redrawn outside two standard deviations, zeros, ones."""
    g = torch.Generator().manual_seed(seed)
    out = {}
    for s in specs:
        t = torch.empty(s.shape, dtype=torch.float32)
        if s.init == "ones":
            t.fill_(1.0)
        elif s.init == "zeros":
            t.zero_()
        else:
            std = 0.02 if s.init == "normal002" else 1.0 / math.sqrt(math.prod(s.shape[1:]))
            torch.nn.init.trunc_normal_(t, 0.0, std, -2 * std, 2 * std, generator=g)
        out[s.name] = t
    return out


# --------------------------------------------------------------------------------------------
# safetensors (docs/checkpoint-format.md section 1), parsed with numpy
# --------------------------------------------------------------------------------------------


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Every tensor of a safetensors file: 8-byte little-endian header length, JSON header,
    raw little-endian data. Only F32 is used by pix2seq-java."""
    raw = Path(path).read_bytes()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + length])
    data = memoryview(raw)[8 + length:]
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if entry["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name} has dtype {entry['dtype']}, expected F32")
        begin, end = entry["data_offsets"]
        out[name] = np.frombuffer(data[begin:end], dtype="<f4").reshape(entry["shape"]).copy()
    return out


def write_safetensors(path: Path, tensors: dict[str, np.ndarray], metadata: dict[str, str]):
    """A safetensors file of float32 tensors, in the given order (no data checksum: the Java
    reader checks ``pix2seq.data_crc32c`` only when the metadata has it)."""
    header = {"__metadata__": metadata}
    offset = 0
    blobs = []
    for name, array in tensors.items():
        blob = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape),
                        "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # align the data section, as writers usually do
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def load_weights(path: Path, specs: list[Spec]) -> dict[str, torch.Tensor]:
    """A checkpoint's weights, checked against the layout: every name, every shape, nothing
    more (the checks of AbstractPix2seqModel.readWeights)."""
    arrays = read_safetensors(path)
    extra = set(arrays) - {s.name for s in specs}
    if extra:
        raise ValueError(f"{path}: tensors outside the layout: {sorted(extra)}")
    out = {}
    for s in specs:
        if s.name not in arrays:
            raise ValueError(f"{path}: tensor '{s.name}' is missing")
        if tuple(arrays[s.name].shape) != s.shape:
            raise ValueError(f"{path}: tensor '{s.name}' has shape {list(arrays[s.name].shape)},"
                             f" expected {list(s.shape)}")
        out[s.name] = torch.from_numpy(arrays[s.name])
    return out


# --------------------------------------------------------------------------------------------
# Fixed position tables (pix2seq-api: network/FixedPositions, SinCosPositions, CoordinateCode)
# --------------------------------------------------------------------------------------------


def sincos_table(side: int, width: int) -> np.ndarray:
    """SinCosPositions.table: [sin(r w), cos(r w), sin(c w), cos(c w)], w_k = 10000^(-k/q),
    (r, c) the grid cell; float64 rounded to float32. Shape [side*side, width]."""
    q = width // 4
    omega = 10000.0 ** (-np.arange(q, dtype=np.float64) / q)
    rows, cols = np.meshgrid(np.arange(side), np.arange(side), indexing="ij")
    r = rows.reshape(-1, 1) * omega
    c = cols.reshape(-1, 1) * omega
    return np.concatenate([np.sin(r), np.cos(r), np.sin(c), np.cos(c)], 1).astype(np.float32)


def official_table(side: int, width: int) -> np.ndarray:
    """SinCosPositions.official: the official Pix2seq table, every step rounded to float32 as
    the official code (and the Java port) computes it."""
    q, half = width // 4, width // 2
    two_pi = np.float32(6.2831852)
    scaled = (np.arange(side, dtype=np.float32) / np.float32(side - 1)) * two_pi
    exponent = np.arange(q, dtype=np.float32) * np.float32(2) / np.float32(half)
    omega = np.float32(1) / np.power(10000.0, exponent.astype(np.float64)).astype(np.float32)
    angles = (scaled[:, None] * omega[None, :]).astype(np.float32).astype(np.float64)
    sin, cos = np.sin(angles).astype(np.float32), np.cos(angles).astype(np.float32)
    out = np.empty((side, side, width), dtype=np.float32)
    out[:, :, 0:q] = sin[:, None, :]
    out[:, :, q:2 * q] = cos[:, None, :]
    out[:, :, 2 * q:3 * q] = sin[None, :, :]
    out[:, :, 3 * q:] = cos[None, :, :]
    return out.reshape(side * side, width)


def coordinate_grid(side: int, width: int) -> np.ndarray:
    """CoordinateCode.grid: cell centre y (then x) coded with every other wavelength of a
    width/2-pair ladder from 1/32 to 4 image sides; float64 rounded to float32."""
    ladder, pairs = width // 2, width // 4
    k = 2 * np.arange(pairs, dtype=np.float64)
    fraction = k / (ladder - 1) if ladder > 1 else np.zeros_like(k)
    wavelength = (1.0 / 32) * (4.0 / (1.0 / 32)) ** fraction
    centre = (np.arange(side, dtype=np.float64) + 0.5) / side
    angle = 2 * np.pi * centre[:, None] / wavelength[None, :]  # [side, pairs]
    code = np.stack([np.sin(angle), np.cos(angle)], -1).reshape(side, 2 * pairs)
    out = np.empty((side, side, width), dtype=np.float64)
    out[:, :, :width // 2] = code[:, None, :]
    out[:, :, width // 2:] = code[None, :, :]
    return out.reshape(side * side, width).astype(np.float32)


# --------------------------------------------------------------------------------------------
# The network (pix2seq-model-djl: network/Pix2seqNetwork.java, Ops.java, KvCache.java)
# --------------------------------------------------------------------------------------------


class Dense(NamedTuple):
    weight: torch.Tensor
    bias: torch.Tensor


class Norm(NamedTuple):
    weight: torch.Tensor
    bias: torch.Tensor


class Mlp(NamedTuple):
    norm: Norm
    fc1: Dense
    fc2: Dense


class EncoderLayer(NamedTuple):
    attention_norm: Norm
    qkv: Dense
    output: Dense
    mlp: Mlp


class DecoderLayer(NamedTuple):
    self_norm: Norm
    self_qkv: Dense
    self_output: Dense
    cross_norm: Norm
    cross_query: Dense
    cross_key_value: Dense
    cross_output: Dense
    mlp: Mlp


class PreallocatedCache:
    """Self-attention keys and values of every decoder layer in buffers of ``capacity``
    positions allocated once; a step writes its new positions in place and attends to a view of
    the filled part (no copy of the past)."""

    def __init__(self, layers: int, rows: int, heads: int, capacity: int, head_width: int):
        shape = (rows, heads, capacity, head_width)
        self.keys = [torch.empty(shape) for _ in range(layers)]
        self.values = [torch.empty(shape) for _ in range(layers)]
        self.length = 0

    def extend(self, layer: int, k: torch.Tensor, v: torch.Tensor):
        end = self.length + k.shape[2]
        self.keys[layer][:, :, self.length:end].copy_(k)
        self.values[layer][:, :, self.length:end].copy_(v)
        return self.keys[layer][:, :, :end], self.values[layer][:, :, :end]

    def advance(self, n: int):
        self.length += n


class ConcatCache:
    """Self-attention keys and values grown by concatenation at every step, as the Java
    backends do (KvCache.stage / commit)."""

    def __init__(self, layers: int, *_):
        self.keys: list[torch.Tensor | None] = [None] * layers
        self.values: list[torch.Tensor | None] = [None] * layers
        self.length = 0

    def extend(self, layer: int, k: torch.Tensor, v: torch.Tensor):
        if self.keys[layer] is not None:
            k = torch.cat([self.keys[layer], k], 2)
            v = torch.cat([self.values[layer], v], 2)
        self.keys[layer], self.values[layer] = k, v
        return k, v

    def advance(self, n: int):
        self.length += n


CACHES = {"prealloc": PreallocatedCache, "concat": ConcatCache}


def split_heads(x: torch.Tensor, parts: int, heads: int) -> tuple[torch.Tensor, ...]:
    """[B, n, parts*D] to ``parts`` tensors [B, heads, n, D/heads] (part-major, then head-major
    rows, as the fused qkv / key_value weights are laid out)."""
    b, n, width = x.shape
    return x.view(b, n, parts, heads, width // (parts * heads)).permute(2, 0, 3, 1, 4).unbind(0)


def merge_heads(x: torch.Tensor) -> torch.Tensor:
    """[B, heads, n, d] to [B, n, heads*d], heads concatenated in order."""
    b, h, n, d = x.shape
    return x.transpose(1, 2).reshape(b, n, h * d)


class Pix2seqTorch:
    """The network over a dict of named weights (the checkpoint's names). Stateless apart from
    the weights and the two fixed position tables, like the Java Pix2seqNetwork."""

    def __init__(self, config: ModelConfig, vocab: int, weights: dict[str, torch.Tensor]):
        self.config = config
        self.vocab = vocab
        self.weights = weights
        self.eps = config.layerNormEpsilon
        w = weights
        dense = lambda p: Dense(w[p + ".weight"], w[p + ".bias"])  # noqa: E731
        norm = lambda p: Norm(w[p + ".weight"], w[p + ".bias"])  # noqa: E731
        mlp = lambda n, p: Mlp(norm(n), dense(p + ".fc1"), dense(p + ".fc2"))  # noqa: E731
        stem = ConvStem.of(config.patchSize, config.encoderWidth, config.convStem)
        self.stem = [dense(f"encoder.stem.{i}") for i in range(stem.stages)]
        self.patch_kernel = stem.patch_kernel
        self.patch = dense("encoder.patch")
        self.patch_norm = norm("encoder.patch_norm")
        self.encoder_layers = []
        for l in range(config.encoderLayers):
            p = f"encoder.layers.{l}."
            self.encoder_layers.append(EncoderLayer(
                norm(p + "attention_norm"), dense(p + "attention.qkv"),
                dense(p + "attention.output"), mlp(p + "mlp_norm", p + "mlp")))
        self.encoder_norm = norm("encoder.norm")
        self.bridge_projection = dense("bridge.projection")
        self.bridge_norm = norm("bridge.norm")
        self.bridge_mlp = mlp("bridge.mlp_norm", "bridge.mlp")
        self.token_embedding = w["decoder.token_embedding"]
        self.position_embedding = w["decoder.position_embedding"]
        self.decoder_layers = []
        for l in range(config.decoderLayers):
            p = f"decoder.layers.{l}."
            self.decoder_layers.append(DecoderLayer(
                norm(p + "self_attention_norm"), dense(p + "self_attention.qkv"),
                dense(p + "self_attention.output"), norm(p + "cross_attention_norm"),
                dense(p + "cross_attention.query"), dense(p + "cross_attention.key_value"),
                dense(p + "cross_attention.output"), mlp(p + "mlp_norm", p + "mlp")))
        self.decoder_norm = norm("decoder.norm")
        self.output_bias = w["decoder.output_bias"]
        side = config.grid_side
        if config.network == "official":
            enc_pos = official_table(side, config.encoderWidth)
            mem_pos = official_table(side, config.decoderWidth)
        else:
            enc_pos = sincos_table(side, config.encoderWidth)
            mem_pos = coordinate_grid(side, config.decoderWidth)
        self.encoder_positions = torch.from_numpy(enc_pos)
        self.memory_positions = torch.from_numpy(mem_pos)
        # Training-time noise (docs/checkpoint-format.md 4.6); off unless train() is called.
        self.dropout = 0.0
        self.drop_path = 0.0

    # -- switches ------------------------------------------------------------------------------

    def train(self, on: bool):
        """Dropout and drop path on every residual branch while training, as ModelConfig says."""
        self.dropout = self.config.dropout if on else 0.0
        self.drop_path = self.config.dropPath if on else 0.0

    def parameters(self) -> list[torch.Tensor]:
        return list(self.weights.values())

    # -- building blocks -----------------------------------------------------------------------

    def layer_norm(self, x: torch.Tensor, n: Norm) -> torch.Tensor:
        """LayerNorm over the last axis, biased variance (Ops.layerNorm)."""
        return F.layer_norm(x, (x.shape[-1],), n.weight, n.bias, self.eps)

    def mlp(self, x: torch.Tensor, m: Mlp) -> torch.Tensor:
        """linear(gelu(linear(LN(x)))) with the exact (erf) GELU of Ops.gelu."""
        y = F.gelu(F.linear(self.layer_norm(x, m.norm), m.fc1.weight, m.fc1.bias))
        return F.linear(y, m.fc2.weight, m.fc2.bias)

    def residual(self, branch: torch.Tensor) -> torch.Tensor:
        """A residual branch after element-wise dropout and per-row drop path (Pass.residual);
        the identity outside training. The masks come from torch's generator, not Java's."""
        if self.dropout > 0:
            branch = F.dropout(branch, self.dropout, True)
        if self.drop_path > 0:
            keep = 1.0 - self.drop_path
            shape = (branch.shape[0],) + (1,) * (branch.dim() - 1)
            mask = torch.empty(shape, dtype=branch.dtype).bernoulli_(keep).div_(keep)
            branch = branch * mask
        return branch

    def centre(self, x: torch.Tensor) -> torch.Tensor:
        """x less its mean over the N tokens of each image, in the default variant only."""
        return x - x.mean(1, keepdim=True) if self.config.centres_tokens else x

    # -- encoder and bridge --------------------------------------------------------------------

    def encode(self, images: torch.Tensor) -> torch.Tensor:
        """Images [B, 3, S, S] in [0, 1] to the decoder's memory [B, N, decoderWidth]."""
        x = images
        for conv in self.stem:
            x = F.gelu(F.conv2d(x, conv.weight, conv.bias, stride=2, padding=1))
        # The patch convolution (kernel = stride = k, no padding), tokens in row-major grid
        # order; DJL writes it as one matrix product over patches, which is the same sum.
        x = F.conv2d(x, self.patch.weight, self.patch.bias, stride=self.patch_kernel)
        x = x.flatten(2).transpose(1, 2)
        x = self.centre(self.layer_norm(x, self.patch_norm) + self.encoder_positions)
        heads = self.config.encoderHeads
        for layer in self.encoder_layers:
            y = self.layer_norm(x, layer.attention_norm)
            q, k, v = split_heads(F.linear(y, layer.qkv.weight, layer.qkv.bias), 3, heads)
            attended = merge_heads(F.scaled_dot_product_attention(q, k, v))
            h = x + self.residual(F.linear(attended, layer.output.weight, layer.output.bias))
            x = self.centre(h + self.residual(self.mlp(h, layer.mlp)))
        x = self.layer_norm(x, self.encoder_norm)
        m = F.linear(x, self.bridge_projection.weight, self.bridge_projection.bias)
        m = self.layer_norm(m, self.bridge_norm) + self.memory_positions
        return self.centre(m + self.residual(self.mlp(m, self.bridge_mlp)))

    def cross_keys_values(self, memory: torch.Tensor) -> list[tuple[torch.Tensor, torch.Tensor]]:
        """Every decoder layer's cross-attention keys and values [B, heads, N, d] over memory."""
        heads = self.config.decoderHeads
        return [split_heads(F.linear(memory, l.cross_key_value.weight, l.cross_key_value.bias),
                            2, heads) for l in self.decoder_layers]

    # -- decoder -------------------------------------------------------------------------------

    def decode(self, tokens: torch.Tensor, cross, cache=None) -> torch.Tensor:
        """Final hidden states [B, n, decoderWidth] of int64 ``tokens`` [B, n] at positions
        start..start+n-1, start = the cache's length (0 without a cache). With a cache the new
        keys and values are appended to it and attention also reads the cached positions.
        Causal: position i attends to positions <= i."""
        n = tokens.shape[1]
        start = cache.length if cache is not None else 0
        if start + n > self.config.maxSequenceLength:
            raise ValueError(f"positions {start}..{start + n - 1} exceed maxSequenceLength "
                             f"{self.config.maxSequenceLength}")
        heads = self.config.decoderHeads
        # One new token sees every cached key: no mask. A block starting at 0 is the plain
        # causal (top-left aligned) mask. Otherwise: key j is visible to query i iff j <= start+i.
        causal, mask = False, None
        if n > 1 and start == 0:
            causal = True
        elif n > 1:
            mask = torch.ones(n, start + n, dtype=torch.bool).tril(start)
        h = F.embedding(tokens, self.token_embedding) + self.position_embedding[start:start + n]
        for index, layer in enumerate(self.decoder_layers):
            y = self.layer_norm(h, layer.self_norm)
            q, k, v = split_heads(F.linear(y, layer.self_qkv.weight, layer.self_qkv.bias), 3,
                                  heads)
            if cache is not None:
                k, v = cache.extend(index, k, v)
            attended = merge_heads(
                F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=causal))
            h = h + self.residual(
                F.linear(attended, layer.self_output.weight, layer.self_output.bias))
            y = self.layer_norm(h, layer.cross_norm)
            (q,) = split_heads(F.linear(y, layer.cross_query.weight, layer.cross_query.bias), 1,
                               heads)
            ck, cv = cross[index]
            attended = merge_heads(F.scaled_dot_product_attention(q, ck, cv))
            h = h + self.residual(
                F.linear(attended, layer.cross_output.weight, layer.cross_output.bias))
            h = h + self.residual(self.mlp(h, layer.mlp))
        if cache is not None:
            cache.advance(n)
        return h

    def logits(self, hidden: torch.Tensor) -> torch.Tensor:
        """LN(h) @ token_embedding^T + output_bias: [..., vocab]."""
        return F.linear(self.layer_norm(hidden, self.decoder_norm), self.token_embedding,
                        self.output_bias)

    def last_logits(self, hidden: torch.Tensor) -> torch.Tensor:
        """Logits [B, vocab] of the last position only."""
        return self.logits(hidden[:, -1])

    def new_cache(self, kind: str, rows: int, capacity: int):
        c = self.config
        return CACHES[kind](c.decoderLayers, rows, c.decoderHeads, capacity,
                            c.decoderWidth // c.decoderHeads)


# --------------------------------------------------------------------------------------------
# Training step (DjlModelTrainer, TokenCrossEntropy, AdamW; TrainConfig.defaults())
# --------------------------------------------------------------------------------------------

# TrainConfig.defaults(): weight decay 0.05, betas (0.9, 0.95), global-norm clip 1.0; the
# benchmark steps at learning rate 1e-4 (ThroughputBenchmark.run). AdamW eps is AdamW.EPSILON.
WEIGHT_DECAY, BETA1, BETA2, CLIP_NORM, BENCH_LR, ADAM_EPS = 0.05, 0.9, 0.95, 1.0, 1e-4, 1e-8


class Trainer:
    """One optimizer step = forward in training mode, weighted token cross-entropy, backward,
    global gradient norm, clipping to CLIP_NORM, AdamW (decay on the parameters the layout marks
    decayed: rank >= 2 weights except the position table), gradients cleared."""

    def __init__(self, net: Pix2seqTorch, specs: list[Spec], optimizer_impl: str):
        self.net = net
        for p in net.parameters():
            p.requires_grad_(True)
        decayed = [net.weights[s.name] for s in specs if s.decayed]
        other = [net.weights[s.name] for s in specs if not s.decayed]
        # "loop": one parameter at a time; "foreach": multi-tensor ops; "fused": one kernel.
        kwargs = {"foreach": optimizer_impl == "foreach", "fused": optimizer_impl == "fused"}
        self.optimizer = torch.optim.AdamW(
            [{"params": decayed, "weight_decay": WEIGHT_DECAY},
             {"params": other, "weight_decay": 0.0}],
            lr=BENCH_LR, betas=(BETA1, BETA2), eps=ADAM_EPS, **kwargs)

    def step(self, images, inputs, targets, weights) -> dict:
        """One step; returns the loss, the gradient norm and the seconds of each phase."""
        net = self.net
        t0 = time.perf_counter()
        net.train(True)
        try:
            memory = net.encode(images)
            hidden = net.decode(inputs, net.cross_keys_values(memory))
            logits = net.logits(hidden)
        finally:
            net.train(False)
        ce = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1),
                             reduction="none")
        w = weights.reshape(-1)
        loss = (ce * w).sum() / w.sum()
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        with torch.no_grad():
            grads = [p.grad for p in net.parameters()]
            norm = torch.linalg.vector_norm(
                torch.stack([torch.linalg.vector_norm(g) for g in grads])).item()
            if not math.isfinite(norm):
                self.optimizer.zero_grad(set_to_none=True)
                raise ArithmeticError(f"gradient norm is {norm}; weights left unchanged")
            if CLIP_NORM > 0 and norm > CLIP_NORM:
                scale = CLIP_NORM / norm
                for g in grads:
                    g.mul_(scale)
            self.optimizer.step()
            self.optimizer.zero_grad(set_to_none=True)
        t3 = time.perf_counter()
        return {"loss": loss.item(), "grad_norm": norm, "forward": t1 - t0,
                "backward": t2 - t1, "optimizer": t3 - t2, "total": t3 - t0}


# --------------------------------------------------------------------------------------------
# Benchmark (pix2seq-runtime: bench/ThroughputBenchmark.java; pix2seq-cli: BenchCommand.java)
# --------------------------------------------------------------------------------------------


def random_images(count: int, side: int, seed: int) -> torch.Tensor:
    """Uniform [0, 1) pixels [count, 3, side, side] (the Java bench draws them the same way, from
    another generator)."""
    return torch.rand(count, 3, side, side, generator=torch.Generator().manual_seed(seed))


def open_session(per_image: list, rows: torch.Tensor) -> list:
    """A decoding session's cross-attention keys and values: the rows ``rows`` (image of each
    row) gathered from the per-image ones, a copy, as both Java backends make on ``open``."""
    return [(k.index_select(0, rows), v.index_select(0, rows)) for k, v in per_image]


def decode_cached(net: Pix2seqTorch, memory: torch.Tensor, tokens: int, cache_kind: str) -> dict:
    """Greedy decoding of ``tokens`` tokens per row with the key/value cache after the one-token
    prompt: ``tokens`` one-token steps (the prompt, then each generated token but the last),
    logits of the last position only. Timed from the session's open: the per-image
    cross-attention keys and values (DJL computes them on the first open of fresh features)
    and their per-row copy."""
    rows = memory.shape[0]
    identity = torch.arange(rows)
    with torch.inference_mode():
        t0 = time.perf_counter()
        cross = open_session(net.cross_keys_values(memory), identity)
        cache = net.new_cache(cache_kind, rows, tokens)
        t1 = time.perf_counter()
        step_times = []
        nxt = torch.full((rows, 1), PROMPT_TOKEN, dtype=torch.long)
        for _ in range(tokens):
            s = time.perf_counter()
            nxt = net.last_logits(net.decode(nxt, cross, cache)).argmax(-1, keepdim=True)
            step_times.append(time.perf_counter() - s)
        t2 = time.perf_counter()
    return {"total": t2 - t0, "open": t1 - t0, "prompt": step_times[0],
            "step_mean": sum(step_times[1:]) / max(1, len(step_times) - 1)}


def decode_recompute(net: Pix2seqTorch, memory: torch.Tensor, tokens: int) -> dict:
    """Greedy decoding without a cache: every step opens a fresh session (the per-row copy of
    the cross-attention keys and values) and runs the decoder over the whole prefix (the prompt
    and every token generated so far), keeping the last position's logits. The per-image
    cross-attention keys and values themselves are computed once per image batch: both Java
    backends keep them in the ImageFeatures that every step's session is opened on."""
    rows = memory.shape[0]
    identity = torch.arange(rows)
    with torch.inference_mode():
        t0 = time.perf_counter()
        per_image = net.cross_keys_values(memory)
        prefix = torch.full((rows, 1), PROMPT_TOKEN, dtype=torch.long)
        for _ in range(tokens):
            cross = open_session(per_image, identity)
            nxt = net.last_logits(net.decode(prefix, cross)).argmax(-1, keepdim=True)
            prefix = torch.cat([prefix, nxt], 1)
        t1 = time.perf_counter()
    return {"total": t1 - t0}


def encode_timed(net: Pix2seqTorch, images: torch.Tensor) -> tuple[torch.Tensor, float]:
    with torch.inference_mode():
        t0 = time.perf_counter()
        memory = net.encode(images)
        return memory, time.perf_counter() - t0


WARMUP_SECONDS = 3.0  # set from --warmup-seconds


def repeat(warmup: int, repetitions: int, run) -> list[dict]:
    """Untimed runs, at least ``warmup`` of them and until they took ``WARMUP_SECONDS`` (as
    ThroughputBenchmark.repeat), then ``repetitions`` recorded runs."""
    start = time.perf_counter()
    done = 0
    while done < warmup or time.perf_counter() - start < WARMUP_SECONDS:
        run()
        done += 1
    return [run() for _ in range(repetitions)]


def median(values: list[float]) -> float:
    """The Java benchmark's median: the element at index n/2 of the sorted values."""
    return sorted(values)[len(values) // 2]


def summary(values: list[float]) -> dict:
    return {"median": median(values), "min": min(values), "max": max(values)}


def rate(amount: float, seconds: list[float]) -> dict:
    """``amount`` per second at the median, slowest and fastest time (the Java bench's rate of
    the median time)."""
    return {"median": amount / median(seconds), "min": amount / max(seconds),
            "max": amount / min(seconds)}


def run_benchmark(args, config: ModelConfig, vocab: int, weights_path: Path | None) -> dict:
    tokens = args.tokens
    if tokens + 1 > config.maxSequenceLength:
        raise SystemExit(f"benchmark sequences must fit maxSequenceLength "
                         f"{config.maxSequenceLength}")
    specs = parameter_layout(config, vocab)
    weights = load_weights(weights_path, specs) if weights_path else random_weights(specs, 1)
    net = Pix2seqTorch(config, vocab, weights)
    print(f"pytorch {torch.__version__} eager, preset {config.preset}, vocabulary {vocab}, "
          f"{sum(w.numel() for w in weights.values()):,} parameters, "
          f"{torch.get_num_threads()} threads, cache {args.cache}", flush=True)
    before = machine_state()
    print(f"  before: {describe(before)}", flush=True)
    report = {"backend": "pytorch-eager", "torch": torch.__version__,
              "threads": torch.get_num_threads(), "cache": args.cache,
              "model": dataclasses.asdict(config), "vocabSize": vocab, "decode": [],
              "train": None}

    for batch in args.batch:
        encode_times = []

        def encoded():
            memory, seconds = encode_timed(net, random_images(batch, config.imageSize, 11))
            encode_times.append(seconds)
            return memory

        cached = repeat(1, args.repeat, lambda: decode_cached(net, encoded(), tokens, args.cache))
        recompute = repeat(1, args.repeat, lambda: decode_recompute(net, encoded(), tokens))
        total = batch * tokens
        c = rate(total, [x["total"] for x in cached])
        r = rate(total, [x["total"] for x in recompute])
        breakdown = {
            "encoderSeconds": summary(encode_times),
            "openSeconds": summary([x["open"] for x in cached]),
            "promptStepSeconds": summary([x["prompt"] for x in cached]),
            "meanTokenStepSeconds": summary([x["step_mean"] for x in cached]),
            "cachedSeconds": summary([x["total"] for x in cached]),
            "recomputeSeconds": summary([x["total"] for x in recompute]),
        }
        result = {"batchSize": batch, "tokensPerRow": tokens,
                  "cachedTokensPerSecond": c["median"],
                  "recomputeTokensPerSecond": r["median"],
                  "cachedTokensPerSecondRange": [c["min"], c["max"]],
                  "recomputeTokensPerSecondRange": [r["min"], r["max"]],
                  "breakdown": breakdown}
        report["decode"].append(result)
        print(f"  decode batch {batch}: {c['median']:.0f} tokens/s with cache "
              f"[{c['min']:.0f}..{c['max']:.0f}], {r['median']:.0f} tokens/s recomputing "
              f"[{r['min']:.0f}..{r['max']:.0f}] (x{c['median'] / r['median']:.1f})")
        print(f"    encoder {ms(breakdown['encoderSeconds'])} per batch; cached decode: "
              f"open (cross k/v) {ms(breakdown['openSeconds'])}, prompt step "
              f"{ms(breakdown['promptStepSeconds'])}, mean token step "
              f"{ms(breakdown['meanTokenStepSeconds'])}", flush=True)

    if args.train_batch == 0:  # decoding only, as the Java bench's --no-train
        return report

    # Training: random images (seed 7), random inputs and targets, every weight 1.
    g = torch.Generator().manual_seed(7)
    rows, length = args.train_batch, tokens
    images = random_images(rows, config.imageSize, 7)
    inputs = torch.randint(0, vocab, (rows, length), generator=g)
    targets = torch.randint(0, vocab, (rows, length), generator=g)
    loss_weights = torch.ones(rows, length)
    trainer = Trainer(net, specs, args.optimizer)
    steps = repeat(1, args.repeat, lambda: trainer.step(images, inputs, targets, loss_weights))
    seconds = summary([s["total"] for s in steps])
    per_second = rate(rows, [s["total"] for s in steps])
    report["train"] = {
        "batchSize": rows, "sequenceLength": length, "imagesPerSecond": rows / seconds["median"],
        "secondsPerStep": seconds["median"],
        "imagesPerSecondRange": [per_second["min"], per_second["max"]],
        "optimizer": args.optimizer,
        "breakdown": {k + "Seconds": summary([s[k] for s in steps])
                      for k in ("forward", "backward", "optimizer")},
    }
    b = report["train"]["breakdown"]
    print(f"  train batch {rows} x {length} tokens: {rows / seconds['median']:.2f} images/s "
          f"({seconds['median']:.3f} s/step [{seconds['min']:.3f}..{seconds['max']:.3f}])")
    print(f"    forward+loss {ms(b['forwardSeconds'])}, backward {ms(b['backwardSeconds'])}, "
          f"clip+AdamW {ms(b['optimizerSeconds'])}", flush=True)
    after = machine_state()
    print(f"  after: {describe(after)}", flush=True)
    report["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count(),
                         "before": before, "after": after}
    return report


def machine_state() -> dict:
    """Load average and, where the kernel reports it, the share of time tasks waited for a CPU
    (/proc/pressure/cpu "some" avg10 and avg60, percent): how noisy the numbers may be."""
    state = {"loadAverage": list(os.getloadavg())}
    try:
        fields = Path("/proc/pressure/cpu").read_text().split("\n")[0].split()[1:]
        values = dict(f.split("=") for f in fields)
        state["cpuPressure"] = {"avg10": float(values["avg10"]), "avg60": float(values["avg60"])}
    except (OSError, KeyError, ValueError):
        pass
    return state


def describe(state: dict) -> str:
    text = "load average " + ", ".join(f"{x:.2f}" for x in state["loadAverage"])
    if "cpuPressure" in state:
        p = state["cpuPressure"]
        text += f"; cpu pressure {p['avg10']:.0f}% (10 s), {p['avg60']:.0f}% (60 s)"
    return text


def ms(s: dict) -> str:
    return f"{s['median'] * 1e3:.2f} ms [{s['min'] * 1e3:.2f}..{s['max'] * 1e3:.2f}]"


# --------------------------------------------------------------------------------------------
# Logits check against the Java CLI (pix2seq logits --backend djl|tf)
# --------------------------------------------------------------------------------------------


def checkpoint_dir(run: Path) -> Path:
    for d in (run / "checkpoint", run):
        if (d / "weights.safetensors").is_file() and (d / "model.json").is_file():
            return d
    raise SystemExit(f"{run}: no checkpoint (model.json + weights.safetensors) in it or in "
                     f"{run}/checkpoint")


def perturbed_weights(specs: list[Spec], seed: int) -> dict[str, np.ndarray]:
    """Weights that make every parameter matter: all matrices normal(0, 1/sqrt(fan_in)) (the
    cross-attention output too, zero in a fresh model), gains 1 + 0.2 n, biases 0.1 n,
    positions normal(0, 0.5). A model trained for two steps barely reads the image (its
    cross-attention output is still ~0), so this copy is what tests the encoder path."""
    rng = np.random.default_rng(seed)
    out = {}
    for s in specs:
        if len(s.shape) >= 2:
            std = 0.5 if s.name == "decoder.position_embedding" else 1 / math.sqrt(
                math.prod(s.shape[1:]))
            a = rng.normal(0, std, s.shape)
        elif s.init == "ones":
            a = 1 + 0.2 * rng.normal(size=s.shape)
        else:
            a = 0.1 * rng.normal(size=s.shape)
        out[s.name] = a.astype(np.float32)
    return out


def java_logits(cli: list[str], backend: str, model_dir: Path, images: Path, tokens: Path,
                out: Path) -> np.ndarray:
    cmd = cli + ["logits", "--backend", backend, "--model", str(model_dir),
           "--image-tensor", str(images), "--tokens", str(tokens), "--out", str(out)]
    print("  $ " + " ".join(cmd), flush=True)
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"java logits failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return np.load(out)


def run_check(args) -> dict:
    ckpt = checkpoint_dir(Path(args.check))
    config, vocab = read_model_json(ckpt / "model.json")
    specs = parameter_layout(config, vocab)
    cli = shlex.split(args.java_cli)
    rng = np.random.default_rng(args.seed)
    n, length = args.check_rows, args.check_length
    images = rng.random((n, config.imageSize, config.imageSize, 3), dtype=np.float32)
    tokens = rng.integers(0, vocab, (n, length), dtype=np.int64)
    tokens[:, 0] = PROMPT_TOKEN
    report = {"checkpoint": str(ckpt), "model": dataclasses.asdict(config), "vocabSize": vocab,
              "rows": n, "length": length, "cases": []}
    with tempfile.TemporaryDirectory(prefix="pix2seq-torch-check-") as tmp:
        tmp = Path(tmp)
        np.save(tmp / "images.npy", images)
        np.save(tmp / "tokens.npy", tokens)
        perturbed = tmp / "perturbed"
        shutil.copytree(ckpt, perturbed, ignore=shutil.ignore_patterns("train-state"))
        write_safetensors(perturbed / "weights.safetensors", perturbed_weights(specs, args.seed),
                          {"pix2seq.format": "pix2seq-weights-v1"})
        for name, model_dir in (("checkpoint", ckpt), ("perturbed copy", perturbed)):
            print(f"{name}: {model_dir}", flush=True)
            net = Pix2seqTorch(config, vocab, load_weights(model_dir / "weights.safetensors",
                                                           specs))
            with torch.inference_mode():
                pixels = torch.from_numpy(images).permute(0, 3, 1, 2).contiguous()
                memory = net.encode(pixels)
                cross = net.cross_keys_values(memory)
                ours = net.logits(net.decode(torch.from_numpy(tokens), cross)).numpy()
                # Self-consistency: the cached path, one token at a time, gives the same rows.
                cache = net.new_cache(args.cache, n, length)
                stepped = np.stack([net.last_logits(net.decode(
                    torch.from_numpy(tokens[:, t:t + 1]), cross, cache)).numpy()
                    for t in range(length)], 1)
                # How much the logits depend on the image: the same tokens, images swapped.
                swapped = net.logits(net.decode(torch.from_numpy(tokens), [
                    (k.roll(1, 0), v.roll(1, 0)) for k, v in cross])).numpy()
            case = {"name": name, "maxAbsLogit": float(np.abs(ours).max()),
                    "cachedVsFullMaxAbsDiff": float(np.abs(stepped - ours).max()),
                    "imageEffectMaxAbs": float(np.abs(swapped - ours).max()), "backends": {}}
            for backend in args.check_backends:
                theirs = java_logits(cli, backend, model_dir, tmp / "images.npy",
                                     tmp / "tokens.npy", tmp / f"logits-{backend}.npy")
                if theirs.shape != ours.shape:
                    raise SystemExit(f"{backend}: logits shape {theirs.shape}, ours {ours.shape}")
                diff = np.abs(theirs.astype(np.float64) - ours)
                same_argmax = float((theirs.argmax(-1) == ours.argmax(-1)).mean())
                case["backends"][backend] = {"maxAbsDiff": float(diff.max()),
                                             "meanAbsDiff": float(diff.mean()),
                                             "argmaxAgreement": same_argmax}
            report["cases"].append(case)
            print(f"  max |logit| {case['maxAbsLogit']:.3f}; image effect (images swapped) "
                  f"{case['imageEffectMaxAbs']:.3g}; torch cached vs full "
                  f"{case['cachedVsFullMaxAbsDiff']:.2e}")
            for backend, r in case["backends"].items():
                verdict = "OK" if r["maxAbsDiff"] <= args.tolerance else "MISMATCH"
                print(f"  {backend}: max abs diff {r['maxAbsDiff']:.2e}, mean "
                      f"{r['meanAbsDiff']:.2e}, argmax agreement {r['argmaxAgreement']:.3f}"
                      f"  {verdict}", flush=True)
    worst = max(r["maxAbsDiff"] for c in report["cases"] for r in c["backends"].values())
    report["ok"] = worst <= args.tolerance
    print(f"check {'passed' if report['ok'] else 'FAILED'}: worst max abs diff {worst:.2e} "
          f"(tolerance {args.tolerance:g})")
    return report


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def int_list(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x]


def main(argv=None) -> int:
    repo = Path(__file__).resolve().parents[2]
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    model = ap.add_argument_group("model")
    model.add_argument("--preset", default="tiny", choices=sorted(PRESETS))
    model.add_argument("--model-config", type=Path,
                       help="model.json (a checkpoint's, or a preset plus overrides); "
                            "overrides --preset")
    model.add_argument("--weights", type=Path,
                       help="weights.safetensors of a Java checkpoint (default: random weights)")
    model.add_argument("--vocab", type=int,
                       help="vocabulary size (default: the checkpoint's, else 3000 + "
                            "--text-vocab, as the Java bench)")
    model.add_argument("--text-vocab", type=int, default=1000)
    bench = ap.add_argument_group("benchmark")
    bench.add_argument("--batch", type=int_list, default=[1, 8], help="decode batch sizes")
    bench.add_argument("--tokens", type=int, default=100,
                       help="tokens generated per row; also the training sequence length")
    bench.add_argument("--train-batch", type=int, default=8,
                       help="images per training step; 0 measures decoding only")
    bench.add_argument("--repeat", type=int, default=3,
                       help="timed repetitions (after the warm-up)")
    bench.add_argument("--warmup-seconds", type=float, default=3.0,
                       help="untimed runs before each figure go on until they took this long "
                            "(at least one run), as ./pix2seq bench --warmup-seconds")
    bench.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
    bench.add_argument("--cache", choices=sorted(CACHES), default="prealloc",
                       help="key/value cache: buffers written in place, or torch.cat per step")
    bench.add_argument("--optimizer", choices=["loop", "foreach", "fused"], default="fused",
                       help="torch.optim.AdamW implementation")
    bench.add_argument("--json", type=Path, help="also write the report as JSON")
    check = ap.add_argument_group("logits check")
    check.add_argument("--check", metavar="RUN_DIR",
                       help="compare teacher-forced logits with the Java `logits` command")
    check.add_argument("--java-cli", default=str(repo / "pix2seq"),
                       help="the Java command line, e.g. the launcher or "
                            "'java -Dai.djl.offline=true -jar .../pix2seq.jar'")
    check.add_argument("--check-backends", type=lambda s: s.split(","), default=["djl", "tf"])
    check.add_argument("--check-rows", type=int, default=3)
    check.add_argument("--check-length", type=int, default=32)
    check.add_argument("--tolerance", type=float, default=1e-4)
    check.add_argument("--seed", type=int, default=5)
    args = ap.parse_args(argv)

    global WARMUP_SECONDS
    if not math.isfinite(args.warmup_seconds) or args.warmup_seconds < 0:
        ap.error(f"--warmup-seconds must be a finite number >= 0, found {args.warmup_seconds}")
    WARMUP_SECONDS = args.warmup_seconds
    torch.set_num_threads(args.threads)
    if args.check:
        report = run_check(args)
        ok = report["ok"]
    else:
        vocab = None
        if args.model_config:
            config, vocab = read_model_json(args.model_config)
        else:
            config = PRESETS[args.preset]
        vocab = args.vocab or vocab or DEFAULT_TEXT_BASE + args.text_vocab
        report = run_benchmark(args, config, vocab, args.weights)
        ok = True
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
