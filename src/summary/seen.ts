// Remembers which person keys a summary has counted, in 12 bytes a key, to catch a person sent twice.
//
// A million records must not cost a million strings: each key is kept as a 64-bit fingerprint (two FNV-1a
// hashes) with the index of the record that brought it, in typed arrays grown by doubling.

const EMPTY = -1;

function fnv(key: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class SeenKeys {
  private hi = new Uint32Array(1024);
  private lo = new Uint32Array(1024);
  private record = new Int32Array(1024).fill(EMPTY);
  private size = 0;

  /** Records `key` as brought by `index`; returns the index of the record that brought it first, if any. */
  see(key: string, index: number): number | undefined {
    if ((this.size + 1) * 2 > this.record.length) this.grow();
    const hi = fnv(key, 0x811c9dc5);
    const lo = fnv(key, 0x01234567);
    const found = this.slot(hi, lo);
    if (this.record[found] !== EMPTY) return this.record[found];
    this.hi[found] = hi;
    this.lo[found] = lo;
    this.record[found] = index;
    this.size++;
    return undefined;
  }

  /** The slot holding this fingerprint, or the empty slot where it goes (linear probing). */
  private slot(hi: number, lo: number): number {
    const mask = this.record.length - 1;
    let i = (hi ^ Math.imul(lo, 0x9e3779b1)) & mask;
    while (this.record[i] !== EMPTY && (this.hi[i] !== hi || this.lo[i] !== lo)) i = (i + 1) & mask;
    return i;
  }

  private grow(): void {
    const { hi, lo, record } = this;
    const n = record.length * 2;
    this.hi = new Uint32Array(n);
    this.lo = new Uint32Array(n);
    this.record = new Int32Array(n).fill(EMPTY);
    for (let i = 0; i < record.length; i++) {
      if (record[i] === EMPTY) continue;
      const at = this.slot(hi[i]!, lo[i]!);
      this.hi[at] = hi[i]!;
      this.lo[at] = lo[i]!;
      this.record[at] = record[i]!;
    }
  }
}
