#!/usr/bin/env python3
"""Trains tiny sentencepiece unigram models and writes golden decode/encode cases.

Writes, under pix2seq-tokenizer/src/test/resources/sentencepiece/ (or --out):
  bytes.model     vocab 400, byte_fallback=True, identity normalization
  default.model   vocab 150, every option at its default (nmt_nfkc normalization)
  options.model   vocab 120, identity normalization, add_dummy_prefix=False,
                  remove_extra_whitespaces=False, a user-defined symbol, an extra
                  control symbol, pad id 3, no bos, a custom unk surface
  ties.model      vocab 60, identity normalization, trained on runs of '=' and '-':
                  long runs have several segmentations of nearly equal score, so
                  the encoder's float rounding decides between them
  golden.json     for each model: id lists with sp.decode(ids); sentences with
                  sp.encode(s), sp.decode(sp.encode(s)) and sp.normalize(s)

Deterministic: the corpus comes from a seeded generator, sentencepiece trains
single-threaded with a fixed seed. Run with the sentencepiece package, e.g.
  /work/venvs/official/bin/python tools/sentencepiece-golden/make_golden.py
"""
import argparse
import json
import os
import random
import tempfile

import sentencepiece as spm

COLOURS = ["red", "blue", "green", "yellow", "black", "white", "brown", "orange", "pink", "grey"]
OBJECTS = ["dog", "cat", "car", "bus", "table", "chair", "ball", "kite", "horse", "bicycle",
           "umbrella", "pizza", "laptop", "train", "boat", "bird", "cake", "bottle", "clock", "sofa"]
PEOPLE = ["man", "woman", "boy", "girl", "child", "person", "player", "chef", "skier", "surfer"]
VERBS = ["holding", "riding", "next to", "sitting on", "looking at", "standing near",
         "carrying", "walking past", "throwing", "eating"]
PLACES = ["in a park", "on the street", "at the beach", "in a kitchen", "on a field",
          "in the snow", "near the water", "in a room", "at night", "under a tree"]
COUNTS = ["a", "one", "two", "three", "four", "some", "many", "the"]
TEMPLATES = [
    "{count} {colour} {object} {place}.",
    "A {person} {verb} a {colour} {object}.",
    "{count} {person}s {verb} the {object} {place}",
    "The {colour} {object} is {place}, next to a {object2}.",
    "a {person} {verb} {count} {object}s {place}",
    "There are {n} {object}s and {n2} {colour} {object2}s.",
]


def corpus(n, seed):
    r = random.Random(seed)
    lines = []
    for _ in range(n):
        t = r.choice(TEMPLATES)
        lines.append(t.format(
            count=r.choice(COUNTS), colour=r.choice(COLOURS), object=r.choice(OBJECTS),
            object2=r.choice(OBJECTS), person=r.choice(PEOPLE), verb=r.choice(VERBS),
            place=r.choice(PLACES), n=r.randint(0, 12), n2=r.randint(2, 99)))
    return lines


def tie_corpus(n, seed):
    r = random.Random(seed)
    return ["# " + "=" * r.randint(1, 50) + " " + r.choice(["red", "dog", "cat", "a", "the"])
            + " " + "-" * r.randint(1, 30) for _ in range(n)]


CORPORA = {"captions": lambda: corpus(300, seed=7), "ties": lambda: tie_corpus(300, seed=3)}

# name: trainer options; every model uses the "captions" corpus unless CORPUS_OF says otherwise
MODELS = {
    "bytes": dict(vocab_size=400, byte_fallback=True, normalization_rule_name="identity"),
    "default": dict(vocab_size=150),
    "options": dict(vocab_size=120, normalization_rule_name="identity", add_dummy_prefix=False,
                    remove_extra_whitespaces=False, user_defined_symbols=["<sep>"],
                    control_symbols=["<ctl>"], pad_id=3, bos_id=-1, unk_surface="<?>"),
    "ties": dict(vocab_size=60, normalization_rule_name="identity"),
}
CORPUS_OF = {"ties": "ties"}

TIE_SENTENCES = (["=" * n for n in range(1, 101)] + ["-" * n for n in range(1, 41)]
                 + ["# ===== red ---", "dog ===== cat", "a  ==  b"])

SENTENCES = [
    "a red dog in a park.",
    "A man riding a blue bicycle on the street",
    "two cats sitting on the sofa",
    "  leading spaces",
    "trailing spaces   ",
    "extra   spaces    between words",
    "\ttab and\nnewline",
    "UPPERCASE WORDS ON A BUS",
    "Mixed Case Kite, With Punctuation!?",
    "numbers 0 1 12 345 6789 and 3.14",
    "a zebra xylophone quokka",
    "café crème brûlée",
    "naïve façade",
    "emoji 🙂 and 🚲 here",
    "日本語のテキスト",
    "Ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３",
    "ligature ﬁne ﬂight",
    "e\u0301 combining acute",
    "non\u00a0breaking\u2003em space",
    "zero\u200bwidth",
    "quote \"double\" and 'single' (paren) [bracket]",
    "<sep> user symbol <sep>between<sep>",
    "<unk> and <s> and </s> literally",
    "▁ lower one eighth block ▁x",
    "",
    " ",
    "x",
    "the the the the",
    "a girl throwing a ball near the water at night",
    "Three pizzas, four cakes & 2 bottles — on a table… ok",
    "ÀÉÎÕÜ àéîõü ß Ø",
    "\u2160 roman numeral \u00bd half",
]


FUZZ_ALPHABET = (list("abcdefghijklmnopqrstuvwxyz") * 3 + list("ABCXYZ0123456789") + [" "] * 12
                 + list(".,;:!?'\"()-&/") + ["é", "ß", "ﬁ", "\u00a0", "\u3000", "\u200b", "日",
                 "🙂", "\u0301", "Ａ", "½", "\t", "\n", "<sep>", "\u2581", "</s>", "Ⅸ", "ｶ"])


def fuzz_sentences(r, n):
    words = [w for w in " ".join(COLOURS + OBJECTS + PEOPLE + VERBS + PLACES).split()]
    out = []
    for i in range(n):
        if i % 2 == 0:
            out.append("".join(r.choice(FUZZ_ALPHABET) for _ in range(r.randint(1, 30))))
        else:
            parts = []
            for _ in range(r.randint(1, 8)):
                w = r.choice(words)
                w = w.upper() if r.random() < 0.15 else w.capitalize() if r.random() < 0.2 else w
                parts.append(w + r.choice(["", "", "", ",", ".", "s"]))
            out.append("".join(p + r.choice([" ", " ", " ", "  ", "\u00a0", ""]) for p in parts))
    return out


def id_cases(sp, r):
    size = sp.get_piece_size()
    ctl = [i for i in range(size) if sp.is_control(i)]
    unk = sp.unk_id()
    eos = sp.eos_id()
    normal = [i for i in range(size)
              if not (sp.is_control(i) or sp.is_unknown(i) or sp.is_byte(i))]
    byte_id = {}
    for i in range(size):
        if sp.is_byte(i):
            byte_id[int(sp.id_to_piece(i)[3:5], 16)] = i

    def b(data):
        return [byte_id[x] for x in data]

    def word(w):
        return sp.encode(w)

    cases = []
    add = cases.append
    add([])
    add(ctl)
    add([unk])
    add([unk, unk])
    add(word("a red dog"))
    add(word("a red dog") + [eos] if eos >= 0 else word("a red dog"))
    add(ctl + word("two cats") + ctl)
    add([unk] + word("dog"))
    add(word("dog") + [unk] + word("cat"))
    add(word(" ") + word("cat"))
    for _ in range(16):
        add([r.choice(normal) for _ in range(r.randint(1, 12))])
    for _ in range(20):
        add([r.randrange(size) for _ in range(r.randint(1, 12))])
    # pieces that are (or start with) the whitespace symbol, first and later
    ws = [i for i in normal if sp.id_to_piece(i).startswith("\u2581")]
    bare = [i for i in normal if sp.id_to_piece(i) == "\u2581"]
    if bare:
        add(bare + ws[:3])
        add(bare + bare + ws[:2])
        add(ctl[:1] + bare + [unk] + ws[:2])
    add([i for i in normal if not sp.id_to_piece(i).startswith("\u2581")][:5] + ws[:3])
    if byte_id:
        add(b("é".encode()))
        add(word("caf") + b("é".encode()) + word(" ok"))
        add(b("🙂".encode()))
        add(b("🙂".encode()) + word("dog") + b("日本".encode()))
        add(b(bytes([0xC3])))                       # truncated two-byte sequence
        add(b(bytes([0xC3, 0x28])))                  # bad continuation
        add(b(bytes([0xFF, 0xFE, 0x41])))            # never-valid bytes, then 'A'
        add(b(bytes([0xE2, 0x82])) + word("x"))      # truncated three-byte sequence
        add(b(bytes([0xF0, 0x9F, 0x99])))            # truncated four-byte sequence
        add(b(bytes([0xED, 0xA0, 0x80])))            # encoded surrogate U+D800
        add(b(bytes([0xC0, 0xAF])))                  # overlong '/'
        add(b(bytes([0xF4, 0x90, 0x80, 0x80])))      # above U+10FFFF
        add(b("\ufffd".encode()))                   # U+FFFD itself
        add(b(" ".encode()) + word("dog"))           # byte-coded space first
        add(ctl + b("é".encode()) + [eos] if eos >= 0 else b("é".encode()))
    return [{"ids": ids, "text": sp.decode(ids)} for ids in cases]


def text_cases(sp, r, name):
    out = []
    for s in TIE_SENTENCES if name == "ties" else SENTENCES + fuzz_sentences(r, 40):
        ids = sp.encode(s)
        out.append({"text": s, "ids": ids, "decoded": sp.decode(ids),
                    "normalized": sp.normalize(s)})
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(here, "..", "..", "pix2seq-tokenizer", "src", "test", "resources",
                               "sentencepiece")
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=default_out)
    args = p.parse_args()
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)

    spm.set_random_generator_seed(11)
    golden = {"sentencepiece_version": spm.__version__, "models": {}}
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        # Relative paths: the trainer records input and model_prefix in the model file.
        os.chdir(tmp)
        try:
            for corpus_name, lines in CORPORA.items():
                with open(corpus_name + ".txt", "w", encoding="utf-8") as f:
                    f.write("\n".join(lines()) + "\n")
            for name, options in MODELS.items():
                spm.SentencePieceTrainer.train(
                    input=CORPUS_OF.get(name, "captions") + ".txt", model_prefix=name,
                    model_type="unigram",
                    num_threads=1, minloglevel=2, **options)
        finally:
            os.chdir(cwd)
        for name in MODELS:
            with open(os.path.join(tmp, name + ".model"), "rb") as f:
                model = f.read()
            write_atomically(os.path.join(out, name + ".model"), model)
            sp = spm.SentencePieceProcessor(model_proto=model)
            golden["models"][name] = {
                "file": name + ".model",
                "size": sp.get_piece_size(),
                "unk_id": sp.unk_id(), "bos_id": sp.bos_id(), "eos_id": sp.eos_id(),
                "pad_id": sp.pad_id(),
                "decode": id_cases(sp, random.Random(name)),
                "encode": text_cases(sp, random.Random("fuzz-" + name), name),
            }
    data = dump(golden)
    write_atomically(os.path.join(out, "golden.json"), data)
    for name in sorted(os.listdir(out)):
        print(f"{os.path.getsize(os.path.join(out, name)):>8}  {os.path.join(out, name)}")


def dump(golden):
    """JSON with one case per line: small, and diffs stay readable."""
    def line(value):
        return json.dumps(value, ensure_ascii=False)

    out = ["{", f' "sentencepiece_version": {line(golden["sentencepiece_version"])},',
           ' "models": {']
    names = list(golden["models"])
    for n, name in enumerate(names):
        m = golden["models"][name]
        out.append(f"  {line(name)}: {{")
        for key in ("file", "size", "unk_id", "bos_id", "eos_id", "pad_id"):
            out.append(f"   {line(key)}: {line(m[key])},")
        for key in ("decode", "encode"):
            out.append(f"   {line(key)}: [")
            cases = m[key]
            for i, case in enumerate(cases):
                out.append("    " + line(case) + ("," if i < len(cases) - 1 else ""))
            out.append("   ]" + ("," if key == "decode" else ""))
        out.append("  }" + ("," if n < len(names) - 1 else ""))
    out.append(" }")
    out.append("}")
    text = "\n".join(out) + "\n"
    assert json.loads(text) == golden
    return text.encode("utf-8")


def write_atomically(path, data):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix="." + os.path.basename(path))
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


if __name__ == "__main__":
    main()
