/**
 * The 5 x 5 risk matrix: likelihood x consequence, each 1-5, rated by their product.
 * The bands are documented in docs/tra.md; change them there and here together.
 */
import type { Severity } from '../../core/model.ts';

export type Level = 1 | 2 | 3 | 4 | 5;

export const LIKELIHOOD_NAMES: Record<Level, string> = {
  1: 'Rare',
  2: 'Unlikely',
  3: 'Possible',
  4: 'Likely',
  5: 'Almost certain',
};

export const CONSEQUENCE_NAMES: Record<Level, string> = {
  1: 'Insignificant',
  2: 'Minor',
  3: 'Moderate',
  4: 'Major',
  5: 'Severe',
};

export type RiskRating = 'Low' | 'Medium' | 'High' | 'Extreme';

export const RATINGS: readonly RiskRating[] = ['Low', 'Medium', 'High', 'Extreme'];

export interface Risk {
  likelihood: Level;
  consequence: Level;
  /** likelihood x consequence, 1-25. */
  score: number;
  rating: RiskRating;
}

export function clamp(n: number): Level {
  return Math.min(5, Math.max(1, Math.round(n))) as Level;
}

/** Low 1-4, Medium 5-9, High 10-16, Extreme 20-25 (17-19 cannot occur). */
export function ratingOf(score: number): RiskRating {
  if (score >= 20) return 'Extreme';
  if (score >= 10) return 'High';
  if (score >= 5) return 'Medium';
  return 'Low';
}

export function rate(likelihood: number, consequence: number): Risk {
  const l = clamp(likelihood);
  const c = clamp(consequence);
  return { likelihood: l, consequence: c, score: l * c, rating: ratingOf(l * c) };
}

export function ratingRank(r: RiskRating): number {
  return RATINGS.indexOf(r);
}

/** The severity a threat finding carries in the assessment, from its residual rating. */
export const SEVERITY_OF: Record<RiskRating, Severity> = {
  Low: 'low',
  Medium: 'medium',
  High: 'high',
  Extreme: 'critical',
};

/** `High (L4 x C4 = 16)`. */
export function describeRisk(r: Risk): string {
  return `${r.rating} (L${r.likelihood} x C${r.consequence} = ${r.score})`;
}

/** The matrix as rows of ratings, likelihood 5 (top) to 1, consequence 1 to 5: for documents. */
export function matrixRows(): { likelihood: Level; cells: RiskRating[] }[] {
  const rows: { likelihood: Level; cells: RiskRating[] }[] = [];
  for (let l = 5; l >= 1; l--) {
    const cells: RiskRating[] = [];
    for (let c = 1; c <= 5; c++) cells.push(ratingOf(l * c));
    rows.push({ likelihood: l as Level, cells });
  }
  return rows;
}
