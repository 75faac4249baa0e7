"""Pads a sentencepiece model with filler pieces to a given size.

A random-weight checkpoint of the official multi-task network has 32,000 text
tokens; its import needs a sentencepiece model of exactly that size. This takes
any unigram model (e.g. small/spm.model of the golden case) and appends pieces
'\u2581w00000', '\u2581w00001', ... with low scores until it has N pieces.

  python pad_sentencepiece.py IN.model OUT.model 32000
"""
import sys

import sentencepiece as spm
from sentencepiece import sentencepiece_model_pb2 as model_pb2


def main():
  source, target, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
  model = model_pb2.ModelProto()
  with open(source, 'rb') as f:
    model.ParseFromString(f.read())
  i = 0
  while len(model.pieces) < size:
    piece = model.pieces.add()
    piece.piece = '\u2581w%05d' % i
    piece.score = -20.0 - i * 1e-3
    piece.type = model_pb2.ModelProto.SentencePiece.NORMAL
    i += 1
  with open(target, 'wb') as f:
    f.write(model.SerializeToString())
  print('%s: %d pieces' % (target, spm.SentencePieceProcessor(model_file=target).get_piece_size()))


if __name__ == '__main__':
  main()
