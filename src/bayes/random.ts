/**
 * Seeded random streams for the sampler, on pure-rand's xoroshiro128+ generator.
 *
 * - `RandomStream.forChain(seed, chain, stream)` gives the stream `stream` of chain `chain` for a
 *   seed: the seed (any safe integer) is hashed into a 128-bit state, which is then advanced by
 *   `chain * STREAMS_PER_CHAIN + stream` jumps of 2^64 steps. Streams never overlap in practice and
 *   depend only on (seed, chain, stream), so a chain gives the same draws whichever thread runs it.
 *   By convention stream 0 (`SAMPLER_STREAM`) drives the sampler (initial point, momenta,
 *   directions, multinomial choices) and stream 1 (`OUTPUT_STREAM`) is handed to
 *   `BayesModel.constrain`.
 * - `uniform()` is uniform on [0, 1) with 53 random bits (multiples of 2^-53), built from the high
 *   bits of two 32-bit outputs (the low bits of xoroshiro128+ are its weakest).
 * - `normal()` is an exact standard normal (Marsaglia's polar method; the second value of each pair
 *   is kept for the next call).
 * - `state()` / `RandomStream.fromState(state)` save and restore a stream exactly (plain JSON-able
 *   object, e.g. to move a chain to a worker or to resume it).
 */

import type { JumpableRandomGenerator } from "pure-rand/types/JumpableRandomGenerator";
import { xoroshiro128plusFromState } from "pure-rand/generator/xoroshiro128plus";
import { OptionError } from "../errors.ts";

/** Number of streams reserved for each chain (stream indices 0 .. STREAMS_PER_CHAIN - 1). */
export const STREAMS_PER_CHAIN = 4;
/** Stream of a chain used by the sampler itself. */
export const SAMPLER_STREAM = 0;
/** Stream of a chain passed to `BayesModel.constrain` (random-effect draws of the collapsed model). */
export const OUTPUT_STREAM = 1;

/** The serialisable state of a `RandomStream`. */
export interface RandomState {
  /** The four 32-bit words of the xoroshiro128+ state. */
  readonly words: readonly number[];
  /** The second normal of the last polar pair, not yet returned (null when none is pending). */
  readonly spareNormal: number | null;
}

const TWO_POW_32 = 4294967296;
const TWO_POW_26 = 67108864;
const TWO_POW_M53 = 1.1102230246251565e-16;

/** murmur3's 32-bit finaliser: a bijective mix of a 32-bit word. */
function fmix32(h: number): number {
  let x = h | 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x | 0;
}

/** Hashes a safe-integer seed into a non-zero 128-bit xoroshiro state (four 32-bit words). */
function seedWords(seed: number): number[] {
  const lo = Number(BigInt.asUintN(32, BigInt(seed))) | 0;
  const hi = Number(BigInt.asUintN(32, BigInt(seed) >> 32n)) | 0;
  const words: number[] = [];
  let x = fmix32(hi ^ 0x6a09e667);
  for (let k = 0; k < 4; k++) {
    x = fmix32((x + 0x9e3779b9 + Math.imul(k + 1, 0x7f4a7c15)) ^ lo);
    words.push(x);
  }
  if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 1;
  return words;
}

export class RandomStream {
  private readonly gen: JumpableRandomGenerator;
  private spare: number;
  private hasSpare: boolean;

  private constructor(gen: JumpableRandomGenerator, spare: number | null) {
    this.gen = gen;
    this.hasSpare = spare !== null;
    this.spare = spare ?? 0;
  }

  /**
   * Stream `stream` (0 .. STREAMS_PER_CHAIN - 1) of chain `chain` (a non-negative integer) for
   * `seed` (any safe integer). Throws OptionError for other values.
   */
  static forChain(seed: number, chain: number, stream: number = SAMPLER_STREAM): RandomStream {
    if (!Number.isSafeInteger(seed)) {
      throw new OptionError(`the seed must be an integer of at most 53 bits, got ${seed}`);
    }
    if (!Number.isSafeInteger(chain) || chain < 0) {
      throw new OptionError(`the chain index must be a non-negative integer, got ${chain}`);
    }
    if (!Number.isInteger(stream) || stream < 0 || stream >= STREAMS_PER_CHAIN) {
      throw new OptionError(
        `the stream index must be an integer in [0, ${STREAMS_PER_CHAIN}), got ${stream}`,
      );
    }
    const gen = xoroshiro128plusFromState(seedWords(seed));
    const jumps = chain * STREAMS_PER_CHAIN + stream;
    for (let k = 0; k < jumps; k++) gen.jump();
    return new RandomStream(gen, null);
  }

  /** Restores a stream saved with `state()`. */
  static fromState(state: RandomState): RandomStream {
    if (!Array.isArray(state.words) || state.words.length !== 4 || !state.words.every(Number.isInteger)) {
      throw new OptionError("a random-stream state needs four 32-bit integer words");
    }
    return new RandomStream(xoroshiro128plusFromState(state.words.map((w) => w | 0)), state.spareNormal);
  }

  /** The current state (a copy; restoring it replays the same draws). */
  state(): RandomState {
    return { words: [...this.gen.getState()], spareNormal: this.hasSpare ? this.spare : null };
  }

  /** Uniform on [0, 1), a multiple of 2^-53. */
  uniform(): number {
    const a = this.gen.next() >>> 5; // 27 high bits
    const b = this.gen.next() >>> 6; // 26 high bits
    return (a * TWO_POW_26 + b) * TWO_POW_M53;
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    const v = this.gen.next();
    return v < 0 ? v + TWO_POW_32 : v;
  }

  /** Standard normal (Marsaglia's polar method). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }

  /** `uniform` as a free function (for `BayesModel.initialPoint`). */
  readonly uniformFn = (): number => this.uniform();
  /** `normal` as a free function (for `BayesModel.constrain`). */
  readonly normalFn = (): number => this.normal();
}
