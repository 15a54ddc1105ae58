// Where the proposals at the quota level lie in their NDJSON files: a few numbers a proposal, so that the second
// pass reads back only the lines of the groups over their ceiling, not the whole input again.
import type { LinePlace } from './lines.js';

/** A proposal's line, with its file and its quota group's key. */
export interface ProposalPlace extends LinePlace {
  file: string;
  group: string;
}

/** Places in typed arrays grown by doubling (28 bytes a proposal); file names and group keys are shared strings. */
export class ProposalPlaces {
  private offset = new Float64Array(1024);
  private bytes = new Int32Array(1024);
  private index = new Int32Array(1024);
  private line = new Int32Array(1024);
  private readonly file: string[] = [];
  private readonly group: string[] = [];
  private size = 0;

  add(p: ProposalPlace): void {
    if (this.size === this.offset.length) this.grow();
    const i = this.size++;
    this.offset[i] = p.offset;
    this.bytes[i] = p.bytes;
    this.index[i] = p.index;
    this.line[i] = p.line;
    this.file.push(p.file);
    this.group.push(p.group);
  }

  /** The places of the given groups, in the order they were added (the records' order). */
  *of(groups: { has(key: string): boolean }): Generator<ProposalPlace> {
    for (let i = 0; i < this.size; i++) {
      if (!groups.has(this.group[i]!)) continue;
      yield { offset: this.offset[i]!, bytes: this.bytes[i]!, index: this.index[i]!, line: this.line[i]!, file: this.file[i]!, group: this.group[i]! };
    }
  }

  private grow(): void {
    const n = this.offset.length * 2;
    const widen = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.offset = widen(this.offset, (k) => new Float64Array(k));
    this.bytes = widen(this.bytes, (k) => new Int32Array(k));
    this.index = widen(this.index, (k) => new Int32Array(k));
    this.line = widen(this.line, (k) => new Int32Array(k));
  }
}
