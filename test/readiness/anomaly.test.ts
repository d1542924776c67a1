import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ewma, type Point, robustZ, seasonal } from '../../src/readiness/anomaly.ts';

function weeks(values: number[]): Point[] {
  return values.map((value, i) => ({
    at: new Date(Date.UTC(2025, 0, 6 + 7 * i)).toISOString().slice(0, 10),
    value,
  }));
}

/** Deterministic noise in [-1, 1). */
function noise(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 2 - 1;
  };
}

describe('robust z-score', () => {
  it('flags exactly the injected spike of a 26-week series', () => {
    const r = noise(7);
    const values = Array.from({ length: 26 }, () => 100 + 8 * r());
    values[17] = 190;
    const v = robustZ(weeks(values));
    assert.equal(v.decided, true);
    assert.deepEqual(
      v.anomalies.map((a) => a.at),
      [weeks(values)[17].at],
    );
    assert.equal(v.anomalies[0].direction, 'up');
    assert.ok(v.anomalies[0].score > 3.5);
    assert.ok(v.anomalies[0].expected.high < 190 && v.anomalies[0].expected.low > 0);
  });

  it('raises no alarm on a flat series (MAD = 0)', () => {
    const v = robustZ(weeks(Array(26).fill(42)));
    assert.equal(v.decided, true);
    assert.deepEqual(v.anomalies, []);
  });

  it('still flags a spike when MAD is 0 but the series is not flat', () => {
    const values = Array(26).fill(10);
    values[20] = 30;
    const v = robustZ(weeks(values));
    assert.deepEqual(
      v.anomalies.map((a) => a.value),
      [30],
    );
  });

  it('is undecided on a series too short to judge', () => {
    const v = robustZ(weeks([1, 2, 3]));
    assert.equal(v.decided, false);
    assert.match(v.reason ?? '', /at least 8/);
  });
});

describe('EWMA chart for rates', () => {
  it('flags a sustained drop of a rate and nothing before it', () => {
    const points = weeks([...Array(20).fill(0.97), 0.6, 0.55, 0.5]).map((p) => ({ ...p, n: 100 }));
    const v = ewma(points);
    assert.ok(v.anomalies.length > 0);
    assert.ok(v.anomalies.every((a) => a.at >= points[20].at && a.direction === 'down'));
  });

  it('raises no alarm on a constant rate', () => {
    const v = ewma(weeks(Array(20).fill(1)).map((p) => ({ ...p, n: 50 })));
    assert.deepEqual(v.anomalies, []);
  });
});

describe('seasonal baseline', () => {
  it('flags a day far off its weekday baseline, not the weekly pattern itself', () => {
    const pattern = [20, 22, 21, 23, 19, 4, 3];
    const days = Array.from({ length: 56 }, (_, i) => ({
      at: `d${String(i).padStart(2, '0')}`,
      value: pattern[i % 7] + ((i * 7) % 3) - 1,
    }));
    days[30].value += 40;
    const v = seasonal(days);
    assert.deepEqual(
      v.anomalies.map((a) => a.at),
      ['d30'],
    );
  });
});
