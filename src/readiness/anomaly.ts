/**
 * Anomaly detection on KPI series. Pure functions; each flag carries the value, the expected
 * band and the method, so a finding can show the numbers behind it.
 *
 * - Robust z-score (Iglewicz and Hoaglin): z = 0.6745 (x - median) / MAD, flag |z| > 3.5.
 *   When MAD = 0 (more than half the points equal) the mean absolute deviation stands in,
 *   z = (x - median) / (1.2533 * meanAD); when that is 0 too the series is flat and nothing
 *   is flagged.
 * - EWMA control chart for rates: z_t = lambda x_t + (1 - lambda) z_{t-1}, z_0 = centre =
 *   the median rate; sigma_t = sqrt(q (1 - q) / n_t) from each week's denominator (a
 *   p-chart), q the pooled rate held within [0.05, 0.95]; limits
 *   centre +- L sigma_t sqrt(lambda / (2 - lambda) (1 - (1 - lambda)^{2t})). Points without a denominator fall back to the series' robust
 *   sigma (1.4826 MAD, else the standard deviation).
 * - Seasonal baseline for daily series: the expected value of a day is the median of the
 *   same weekday in the series; residuals outside the Tukey fences are flagged, with
 *   k = 3 ("far out"); KQL's series_decompose_anomalies uses k = 1.5, which on daily case
 *   counts flags a few ordinary busy days per quarter.
 */

export interface Point {
  /** Week (YYYY-MM-DD, Monday) or day. */
  at: string;
  value: number;
  /** For rates: the denominator (cases the rate is over). */
  n?: number;
}

export type Method = 'robust-z' | 'ewma' | 'seasonal';

export interface Anomaly {
  method: Method;
  at: string;
  value: number;
  /** The band a normal value falls in. */
  expected: { low: number; high: number; centre: number };
  /** Robust z, EWMA statistic or residual, by method. */
  score: number;
  direction: 'up' | 'down';
}

export interface SeriesVerdict {
  method: Method;
  /** Points the method used. */
  points: number;
  /** False when the series is too short to judge: the check then says unknown. */
  decided: boolean;
  reason?: string;
  band?: { low: number; high: number; centre: number };
  anomalies: Anomaly[];
}

export const ROBUST_Z_THRESHOLD = 3.5;
export const MIN_POINTS = 8;
export const EWMA_LAMBDA = 0.25;
export const EWMA_L = 3;
export const TUKEY_K = 3;

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Linear-interpolated quantile (type 7, as quantile_cont). */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export function robustZ(series: readonly Point[], threshold = ROBUST_Z_THRESHOLD): SeriesVerdict {
  const values = series.map((p) => p.value);
  if (values.length < MIN_POINTS)
    return {
      method: 'robust-z',
      points: values.length,
      decided: false,
      reason: `${values.length} points; the robust z-score needs at least ${MIN_POINTS}`,
      anomalies: [],
    };
  const med = median(values);
  const mad = median(values.map((v) => Math.abs(v - med)));
  // Scale so that |x - median| / scale = |z|.
  let scale: number;
  if (mad > 0) scale = mad / 0.6745;
  else {
    const meanAd = values.reduce((a, v) => a + Math.abs(v - med), 0) / values.length;
    scale = 1.253314 * meanAd;
  }
  if (scale === 0) {
    return {
      method: 'robust-z',
      points: values.length,
      decided: true,
      band: { low: med, high: med, centre: med },
      anomalies: [],
    };
  }
  const band = { low: med - threshold * scale, high: med + threshold * scale, centre: med };
  const anomalies: Anomaly[] = [];
  for (const p of series) {
    const z = (p.value - med) / scale;
    if (Math.abs(z) > threshold)
      anomalies.push({
        method: 'robust-z',
        at: p.at,
        value: p.value,
        expected: band,
        score: z,
        direction: z > 0 ? 'up' : 'down',
      });
  }
  return { method: 'robust-z', points: values.length, decided: true, band, anomalies };
}

export function ewma(series: readonly Point[], lambda = EWMA_LAMBDA, L = EWMA_L): SeriesVerdict {
  const values = series.map((p) => p.value);
  if (values.length < MIN_POINTS)
    return {
      method: 'ewma',
      points: values.length,
      decided: false,
      reason: `${values.length} points; the EWMA chart needs at least ${MIN_POINTS}`,
      anomalies: [],
    };
  const trials = series.reduce((a, p) => a + (p.n ?? 0), 0);
  const withN = trials > 0 && series.every((p) => (p.n ?? 0) > 0);
  // The centre is the median, so the anomaly being looked for does not move it. The spread is
  // the binomial variance at the pooled rate, held within 5%-95% so that a rate that is
  // almost always 0 or 100% does not alarm on a single case.
  const centre = median(values);
  const pooled = withN ? series.reduce((a, p) => a + p.value * (p.n as number), 0) / trials : centre;
  const q = Math.min(0.95, Math.max(0.05, pooled));
  let robust = 1.4826 * median(values.map((v) => Math.abs(v - centre)));
  if (robust === 0) {
    const mean = values.reduce((a, v) => a + v, 0) / values.length;
    robust = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / Math.max(1, values.length - 1));
  }
  const sigmaOf = (p: Point) => (withN ? Math.sqrt((q * (1 - q)) / (p.n as number)) : robust);
  const anomalies: Anomaly[] = [];
  let z = centre;
  let band = { low: centre, high: centre, centre };
  series.forEach((p, i) => {
    z = lambda * p.value + (1 - lambda) * z;
    const sigma = sigmaOf(p);
    // A zero sigma (a rate always 0 or always 1) cannot flag anything.
    if (sigma === 0) return;
    const width = L * sigma * Math.sqrt((lambda / (2 - lambda)) * (1 - (1 - lambda) ** (2 * (i + 1))));
    band = { low: centre - width, high: centre + width, centre };
    if (z > band.high || z < band.low)
      anomalies.push({
        method: 'ewma',
        at: p.at,
        value: p.value,
        expected: band,
        score: z,
        direction: z > centre ? 'up' : 'down',
      });
  });
  return { method: 'ewma', points: values.length, decided: true, band, anomalies };
}

/** Seasonal baseline with period 7 over a daily series (needs three full periods). */
export function seasonal(series: readonly Point[], period = 7, k = TUKEY_K): SeriesVerdict {
  if (series.length < period * 3)
    return {
      method: 'seasonal',
      points: series.length,
      decided: false,
      reason: `${series.length} days; the seasonal baseline needs at least ${period * 3}`,
      anomalies: [],
    };
  const bySlot: number[][] = Array.from({ length: period }, () => []);
  series.forEach((p, i) => {
    bySlot[i % period].push(p.value);
  });
  const baseline = bySlot.map((xs) => median(xs));
  const residuals = series.map((p, i) => p.value - baseline[i % period]);
  const q1 = quantile(residuals, 0.25);
  const q3 = quantile(residuals, 0.75);
  const iqr = q3 - q1;
  const lowFence = q1 - k * iqr;
  const highFence = q3 + k * iqr;
  const anomalies: Anomaly[] = [];
  series.forEach((p, i) => {
    const r = residuals[i];
    // A zero-width fence (flat residuals) flags nothing unless a residual leaves it.
    if (r > highFence || r < lowFence) {
      const centre = baseline[i % period];
      anomalies.push({
        method: 'seasonal',
        at: p.at,
        value: p.value,
        expected: { low: centre + lowFence, high: centre + highFence, centre },
        score: r,
        direction: r > 0 ? 'up' : 'down',
      });
    }
  });
  const c = median(baseline);
  return {
    method: 'seasonal',
    points: series.length,
    decided: true,
    band: { low: c + lowFence, high: c + highFence, centre: c },
    anomalies,
  };
}
