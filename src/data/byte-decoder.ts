/**
 * Bytes → text for the CSV reader, chunk by chunk (a multi-byte character may be split between
 * chunks). UTF-8 (the default) is decoded strictly: bytes that are not UTF-8, such as a Latin-1
 * `é` (0xE9), are refused rather than replaced by U+FFFD, which would silently merge distinct
 * factor levels ("café" and "cafè" both becoming "caf\uFFFD"). `latin1` is ISO-8859-1 (every byte
 * is the code point of the same value); `windows-1252` and `utf-16le` use the platform decoder.
 */

/** Text encodings a CSV can be read in. */
export type TextEncodingName = "utf-8" | "latin1" | "windows-1252" | "utf-16le";

export const TEXT_ENCODINGS: readonly TextEncodingName[] = ["utf-8", "latin1", "windows-1252", "utf-16le"];

/** The bytes at `offset` (counted from the start of the input) are not valid in the encoding. */
export class BadBytes {
  constructor(
    /** Offset of the first bad byte from the start of the input. */
    readonly offset: number,
    /** Up to 4 bytes from the offending position (for the message). */
    readonly bytes: Uint8Array,
    /** The input ends inside a multi-byte character. */
    readonly truncated: boolean,
    /** The valid UTF-8 bytes not yet decoded before the bad one (empty for other encodings). */
    readonly before: Uint8Array,
  ) {}
}

/**
 * Index of the first byte of the first ill-formed UTF-8 sequence in `b` (Unicode Table 3-7:
 * no overlongs, no surrogates, nothing above U+10FFFF), or -1. A sequence cut off by the end of
 * `b` counts as ill-formed at its first byte.
 */
export function firstInvalidUtf8(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else return i;
    if (i + need >= n) return i;
    const second = b[i + 1];
    if (second < lo || second > hi) return i;
    for (let k = 2; k <= need; k++) {
      const x = b[i + k];
      if (x < 0x80 || x > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

function decodeLatin1(b: Uint8Array): string {
  let s = "";
  const step = 8192;
  for (let i = 0; i < b.length; i += step) {
    s += String.fromCharCode.apply(null, b.subarray(i, i + step) as unknown as number[]);
  }
  return s;
}

export class ByteDecoder {
  readonly encoding: TextEncodingName;
  readonly #decoder: InstanceType<typeof TextDecoder> | null;
  /** Bytes consumed before the current chunk. */
  #offset = 0;
  /** The last (up to 3) bytes of the previous chunk: a character split between chunks. */
  #tail: Uint8Array = new Uint8Array(0);

  constructor(encoding: TextEncodingName = "utf-8") {
    this.encoding = encoding;
    this.#decoder =
      encoding === "latin1" ? null : new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  }

  /** Bytes decoded so far. */
  get offset(): number {
    return this.#offset;
  }

  /** Decode the next chunk; throws `BadBytes` at the first byte that is not valid text. */
  decode(chunk: Uint8Array): string {
    let text: string;
    if (this.#decoder === null) {
      text = decodeLatin1(chunk);
    } else {
      try {
        text = this.#decoder.decode(chunk, { stream: true });
      } catch {
        throw this.#locate(chunk, false);
      }
    }
    this.#tail = chunk.length >= 3 ? chunk.slice(chunk.length - 3) : concat(this.#tail, chunk).slice(-3);
    this.#offset += chunk.length;
    return text;
  }

  /** The end of the input: throws `BadBytes` when it ends inside a character. */
  end(): string {
    if (this.#decoder === null) return "";
    try {
      return this.#decoder.decode();
    } catch {
      throw this.#locate(new Uint8Array(0), true);
    }
  }

  #locate(chunk: Uint8Array, final: boolean): BadBytes {
    if (this.encoding !== "utf-8") {
      // UTF-16: an unpaired surrogate or an odd byte; located to the chunk
      return new BadBytes(this.#offset, new Uint8Array(0), final, new Uint8Array(0));
    }
    // a character begun in the previous chunk and not finished there starts the scan
    const tail = this.#tail;
    let start = tail.length;
    for (let k = tail.length - 1; k >= 0; k--) {
      const c = tail[k];
      if (c >= 0xc0) {
        const len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
        if (tail.length - k < len) start = k;
        break;
      }
      if (c < 0x80) break;
    }
    const bytes = concat(tail.subarray(start), chunk);
    const at = Math.max(0, firstInvalidUtf8(bytes));
    return new BadBytes(
      this.#offset - (tail.length - start) + at,
      bytes.slice(at, at + 4),
      final,
      bytes.slice(0, at),
    );
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
