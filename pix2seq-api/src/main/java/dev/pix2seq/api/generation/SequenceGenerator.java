package dev.pix2seq.api.generation;

import dev.pix2seq.api.model.DecodingSession;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.SequenceDecoder;
import dev.pix2seq.api.sampling.SamplerSpec;
import dev.pix2seq.api.value.TokenSequence;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * Completes a batch of prompts with any {@link SequenceDecoder}, one {@link DecodingSession}
 * for the whole batch, each step masked by the request's constraint.
 *
 * <p>How it decodes:
 *
 * <ul>
 *   <li><b>Prompts of different lengths</b> share the session: every row is first fed the
 *       shortest prompt's length of its own prompt in one call, then one token per call, its
 *       next prompt token while it has one, else its last chosen token. Each row so sees exactly
 *       its prompt then its response; rows with longer prompts start responding a few steps
 *       later. Equal prompts (the usual batch) cost one prompt call.
 *   <li><b>Constraint</b>: before each choice every logit outside {@code
 *       ConstraintState.allowed()} (and beyond the vocabulary) is excluded, so a generated
 *       response is always accepted by its constraint. Odd model output never throws: NaN counts
 *       as negative infinity; if legal logits are positive infinity, they share the mass
 *       equally; if no legal logit is finite, every legal token is equally likely (greedy then
 *       picks the lowest legal id).
 *   <li><b>Log probabilities</b> of chosen tokens are the log-softmax at temperature 1 over the
 *       legal tokens only, whatever the sampler's temperature or cut, so scores compare across
 *       samplers and with beam search.
 *   <li><b>Stopping</b>: a row stops after EOS (included in the response) or after its {@code
 *       maxNewTokens}, clamped to {@code decoder.maxSequenceLength() - prompt length}; finished
 *       rows leave the session with {@link DecodingSession#select(int[])} so later steps are
 *       cheaper.
 *   <li><b>Sampling</b> ({@link SamplerSpec#create()}): each request draws from its own
 *       generator, seeded from {@code rng} in request order, so its response depends on {@code
 *       rng} and its position, not on when the other rows finish.
 *   <li><b>Beam search</b> ({@link SamplerSpec.Type#BEAM}): {@code beamSize} session rows per
 *       request, extended by cumulative constrained log probability; the response is the best
 *       finished beam under the GNMT length penalty {@code score / ((5 + length) / 6)^alpha}
 *       ({@code alpha} 0 by default: plain cumulative log probability, with which beam size 1
 *       equals greedy and a wide enough beam finds the most likely response exactly). {@code
 *       rng} is not used.
 * </ul>
 *
 * <p>Immutable and thread-safe if the decoder is; each call opens and closes its own session.
 *
 * <pre>{@code
 * SequenceGenerator generator = new SequenceGenerator(model.decoder(), layout.eos());
 * List<TokenSequence> responses = generator.generate(
 *     features, List.of(new GenerationRequest(0, prompt, codec.constraint(request), 100)),
 *     SamplerSpec.topP(0.4), new SplittableRandom(seed));
 * }</pre>
 */
public final class SequenceGenerator {

  /** The default GNMT length-penalty exponent of beam search: no length normalisation. */
  public static final double DEFAULT_LENGTH_PENALTY = 0;

  private final SequenceDecoder decoder;
  private final int eosToken;
  private final double lengthPenalty;

  /**
   * A generator with beam search comparing plain cumulative log probabilities.
   *
   * @param decoder the model's decoder
   * @param eosToken the token that ends a response
   */
  public SequenceGenerator(SequenceDecoder decoder, int eosToken) {
    this(decoder, eosToken, DEFAULT_LENGTH_PENALTY);
  }

  /**
   * A generator whose beam search ranks finished responses by {@code score / ((5 + length) /
   * 6)^lengthPenalty}; larger values favour longer responses.
   *
   * @param decoder the model's decoder
   * @param eosToken the token that ends a response
   * @param lengthPenalty the GNMT exponent alpha, finite and >= 0 (0: none)
   */
  public SequenceGenerator(SequenceDecoder decoder, int eosToken, double lengthPenalty) {
    this.decoder = Objects.requireNonNull(decoder, "decoder");
    if (eosToken < 0) {
      throw new IllegalArgumentException("eosToken must be >= 0, found " + eosToken);
    }
    if (!(lengthPenalty >= 0 && Double.isFinite(lengthPenalty))) {
      throw new IllegalArgumentException(
          "lengthPenalty must be finite and >= 0, found " + lengthPenalty);
    }
    this.eosToken = eosToken;
    this.lengthPenalty = lengthPenalty;
  }

  /**
   * One response per request, in request order: the tokens generated after the prompt (EOS
   * included when generated) with the log probability of each (see the class notes).
   *
   * @param features the encoded images the requests refer to; not closed here
   * @param requests what to generate; may be empty
   * @param sampler how to choose tokens
   * @param rng randomness of sampling; advanced by one {@code long} per request
   * @throws IllegalArgumentException if a request names an image outside {@code features} or
   *     its prompt leaves no room for a response within the decoder's maximum sequence length
   * @throws IllegalStateException if a constraint allows no token of the decoder's vocabulary,
   *     or the decoder breaks its contract (wrong number of logit rows)
   */
  public List<TokenSequence> generate(
      ImageFeatures features, List<GenerationRequest> requests, SamplerSpec sampler,
      RandomGenerator rng) {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(requests, "requests");
    Objects.requireNonNull(sampler, "sampler");
    Objects.requireNonNull(rng, "rng");
    List<RequestDecoding> all = prepare(features, requests, rng);
    if (all.isEmpty()) {
      return List.of();
    }
    ResponseSearch search =
        sampler.type() == SamplerSpec.Type.BEAM
            ? new BeamSearch(sampler.beamSize(), eosToken, lengthPenalty)
            : new SampledSearch(sampler.create(), eosToken);
    int[] imageOfRow = new int[all.size()];
    for (int i = 0; i < imageOfRow.length; i++) {
      imageOfRow[i] = requests.get(i).image();
    }
    try (DecodingSession session = decoder.open(features, imageOfRow)) {
      decode(session, all, search);
    }
    List<TokenSequence> responses = new ArrayList<>(all.size());
    for (RequestDecoding r : all) {
      responses.add(r.result().toSequence());
    }
    return responses;
  }

  private List<RequestDecoding> prepare(
      ImageFeatures features, List<GenerationRequest> requests, RandomGenerator rng) {
    int maxLength = decoder.maxSequenceLength();
    List<RequestDecoding> all = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      GenerationRequest request = Objects.requireNonNull(requests.get(i), "request " + i);
      if (request.image() >= features.batchSize()) {
        throw new IllegalArgumentException(
            "request " + i + " refers to image " + request.image() + " but only "
                + features.batchSize() + " images are encoded");
      }
      int room = maxLength - request.prompt().length;
      if (room < 1) {
        throw new IllegalArgumentException(
            "request " + i + ": a prompt of " + request.prompt().length + " tokens leaves no room"
                + " for a response within the decoder's maximum sequence length " + maxLength);
      }
      int maxNewTokens = Math.min(request.maxNewTokens(), room);
      all.add(new RequestDecoding(i, request, maxNewTokens, new SplittableRandom(rng.nextLong())));
    }
    return all;
  }

  private static void decode(
      DecodingSession session, List<RequestDecoding> all, ResponseSearch search) {
    int shortestPrompt = Integer.MAX_VALUE;
    for (RequestDecoding r : all) {
      shortestPrompt = Math.min(shortestPrompt, r.promptLength());
    }
    int[][] tokens = new int[all.size()][];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = all.get(i).takePrompt(shortestPrompt);
    }
    List<RequestDecoding> active = all;
    int rows = all.size();
    while (true) {
      float[][] logits = session.feed(tokens);
      if (logits == null || logits.length != rows) {
        throw new IllegalStateException(
            "the decoding session returned " + (logits == null ? "no" : logits.length)
                + " logit rows for " + rows + " rows");
      }
      List<RequestDecoding> stillActive = new ArrayList<>(active.size());
      IntStream.Builder parents = IntStream.builder();
      List<int[]> next = new ArrayList<>(rows);
      int firstRow = 0;
      for (RequestDecoding r : active) {
        int own = r.live().size();
        if (r.inPrompt()) {
          parents.add(firstRow);
          next.add(r.takePrompt(1));
        } else {
          for (int parent : search.step(r, logits, firstRow)) {
            parents.add(firstRow + parent);
          }
          for (Hypothesis h : r.live()) {
            next.add(new int[] {h.token()});
          }
        }
        if (!r.live().isEmpty()) {
          stillActive.add(r);
        }
        firstRow += own;
      }
      if (stillActive.isEmpty()) {
        return;
      }
      int[] kept = parents.build().toArray();
      if (!isIdentity(kept, rows)) {
        session.select(kept);
      }
      active = stillActive;
      rows = kept.length;
      tokens = next.toArray(int[][]::new);
    }
  }

  private static boolean isIdentity(int[] parents, int rows) {
    if (parents.length != rows) {
      return false;
    }
    for (int i = 0; i < parents.length; i++) {
      if (parents[i] != i) {
        return false;
      }
    }
    return true;
  }
}
