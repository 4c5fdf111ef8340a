// Fixed-size bitsets over place positions in a snapshot (0..n-1): cheap AND/OR of filters.

export type Bitset = Uint32Array;

export function emptyBitset(size: number): Bitset {
  return new Uint32Array((size + 31) >>> 5);
}

export function fullBitset(size: number): Bitset {
  const bits = emptyBitset(size);
  bits.fill(0xffffffff);
  const extra = bits.length * 32 - size;
  if (extra > 0) bits[bits.length - 1] = 0xffffffff >>> extra;
  return bits;
}

export function setBits(bits: Bitset, positions: ArrayLike<number>): Bitset {
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i]!;
    bits[p >>> 5]! |= 1 << (p & 31);
  }
  return bits;
}

export function hasBit(bits: Bitset, position: number): boolean {
  return (bits[position >>> 5]! & (1 << (position & 31))) !== 0;
}

/** a &= b, in place. */
export function andInPlace(a: Bitset, b: Bitset): Bitset {
  for (let i = 0; i < a.length; i++) a[i]! &= b[i]!;
  return a;
}

/** a |= b, in place. */
export function orInPlace(a: Bitset, b: Bitset): Bitset {
  for (let i = 0; i < a.length; i++) a[i]! |= b[i]!;
  return a;
}

/** Calls `visit` for each set position in increasing order from `start`; stops when it returns false. */
export function forEachBit(bits: Bitset, start: number, visit: (position: number) => boolean | void): void {
  for (let w = start >>> 5; w < bits.length; w++) {
    let word = bits[w]!;
    if (w === start >>> 5) word &= ~((1 << (start & 31)) - 1);
    while (word !== 0) {
      const low = word & -word;
      const position = (w << 5) + (31 - Math.clz32(low));
      if (visit(position) === false) return;
      word ^= low;
    }
  }
}

/** Number of set positions. */
export function countBits(bits: Bitset): number {
  let count = 0;
  for (let i = 0; i < bits.length; i++) {
    let v = bits[i]!;
    v -= (v >>> 1) & 0x55555555;
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    count += Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
  }
  return count;
}
