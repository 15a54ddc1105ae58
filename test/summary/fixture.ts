// Hand-built score-sheet records for the summary tests: three units, two comparable groups, every quota case.
// Each person states the level that must be counted, so the tests can compute the answer themselves.

export const UNITS = ['Chi bộ Ủy ban nhân dân phường', 'Chi bộ Cơ quan Đảng - Mặt trận - Đoàn thể', 'Chi bộ Tổ dân phố 3'] as const;
export const GROUPS = ['Lãnh đạo, quản lý', 'Đảng viên không giữ chức vụ'] as const;
export const CODES = ['HTXSNV', 'HTTNV', 'HTNV', 'KHTNV'] as const;
export type Code = (typeof CODES)[number];

export interface Person {
  name: string;
  unit: string;
  group: string;
  /** The level the summary must count, or null: no level at all (not yet classified). */
  counted: Code | null;
  /** The score that goes with the counted level. */
  score: number;
  record: Record<string, unknown>;
}

type Shape = 'proposed' | 'verified' | 'decided' | 'decided-lowered' | 'verified-over-proposed' | 'none';

/**
 * Cells of unit × group: counts per counted level [HTXSNV, HTTNV, HTNV, KHTNV, unclassified], the excellent
 * scores, and how levels are recorded. Chosen so that under a 20 % floor ceiling of the "tốt" count:
 *   U1/G1 is over (3 for 10), U1/G2 exactly at (3 for 15), U2/G1 over unless the 25 % exception is granted
 *   (2 for 8), U2/G2 and U3/G1 have unclassified people, U3/G2 is over with a tie at the cut (5 for 23).
 */
const CELLS: Array<{ u: number; g: number; counts: [number, number, number, number, number]; excellentScores: number[] }> = [
  { u: 0, g: 0, counts: [3, 10, 1, 0, 0], excellentScores: [95, 92.5, 91] },
  { u: 0, g: 1, counts: [3, 15, 2, 1, 0], excellentScores: [94, 93, 90] },
  { u: 1, g: 0, counts: [2, 8, 0, 0, 0], excellentScores: [96, 90.25] },
  { u: 1, g: 1, counts: [1, 12, 1, 1, 2], excellentScores: [91.5] },
  { u: 2, g: 0, counts: [0, 5, 1, 0, 1], excellentScores: [] },
  { u: 2, g: 1, counts: [5, 23, 3, 1, 0], excellentScores: [97, 93.75, 92, 91, 91] },
];

const TOTALS: Record<Code, number[]> = {
  HTXSNV: [],
  HTTNV: [89.5, 80, 75, 70, 84.25],
  HTNV: [69.5, 55, 50],
  KHTNV: [45, 30.5],
};

function parts(total: number): { general: number; tasks: number; total: number } {
  const general = Math.min(30, Math.round(total * 0.3 * 4) / 4);
  return { general, tasks: Math.round((total - general) * 100) / 100, total };
}

function levelsFor(code: Code | null, shape: Shape): Record<string, string> | undefined {
  if (code === null) return undefined;
  switch (shape) {
    case 'proposed':
      return { proposed: code };
    case 'verified':
      return { proposed: code, verified: code };
    case 'decided':
      return { proposed: code, verified: code, decided: code };
    case 'decided-lowered':
      // The person asked for more; the competent level decided this level, which is what counts.
      return { proposed: 'HTXSNV', verified: code, decided: code };
    case 'verified-over-proposed':
      return { proposed: code === 'HTXSNV' ? 'HTTNV' : 'HTXSNV', verified: code };
    case 'none':
      return undefined;
  }
}

/** Every person of the fixture, in input order (units, then groups, then levels). */
export function people(): Person[] {
  const out: Person[] = [];
  let n = 0;
  for (const cell of CELLS) {
    const unit = UNITS[cell.u]!;
    const group = GROUPS[cell.g]!;
    const add = (counted: Code | null, score: number, shape: Shape, verifiedScore?: number) => {
      n++;
      const name = `Đảng viên ${String(n).padStart(3, '0')} (${cell.u + 1}.${cell.g + 1})`;
      const levels = levelsFor(counted, counted === null ? 'none' : shape);
      const record: Record<string, unknown> = {
        header: { parentBody: 'ĐẢNG BỘ PHƯỜNG HẢI DƯƠNG', issuingBody: unit.toLocaleUpperCase('vi'), place: 'Hải Dương', date: '2025-12-15' },
        period: { kind: 'year', year: 2025 },
        person: { fullName: name, unit, category: cell.g === 0 ? 'leader' : 'staff', comparableGroup: group, post: cell.g === 0 ? 'Trưởng ban' : 'Chuyên viên' },
        scores: parts(counted === null ? 80 : score),
        ...(verifiedScore !== undefined ? { verifiedScores: parts(verifiedScore) } : {}),
        ...(levels ? { levels } : { levels: {} }),
      };
      out.push({ name, unit, group, counted, score: verifiedScore ?? score, record });
    };
    cell.excellentScores.forEach((s, i) => {
      // One excellent proposal scored 98 by the person and 91,25 by the verifier: the verifier's score ranks it.
      if (cell.u === 0 && cell.g === 0 && i === 0) add('HTXSNV', 98, 'decided', 91.25);
      else add('HTXSNV', s, (['proposed', 'verified', 'decided'] as const)[i % 3]!);
    });
    for (let i = 0; i < cell.counts[1]; i++) {
      const shape: Shape = i === 0 ? 'decided-lowered' : i === 1 ? 'verified-over-proposed' : (['proposed', 'verified', 'decided'] as const)[i % 3]!;
      add('HTTNV', TOTALS.HTTNV[i % TOTALS.HTTNV.length]!, shape);
    }
    for (let i = 0; i < cell.counts[2]; i++) add('HTNV', TOTALS.HTNV[i % TOTALS.HTNV.length]!, 'verified');
    for (let i = 0; i < cell.counts[3]; i++) add('KHTNV', TOTALS.KHTNV[i % TOTALS.KHTNV.length]!, 'decided');
    for (let i = 0; i < cell.counts[4]; i++) add(null, 0, 'none');
  }
  return out;
}
