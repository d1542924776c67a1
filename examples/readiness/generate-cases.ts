/**
 * Writes examples/readiness/cases.csv: 26 weeks of synthetic support cases for three clouds,
 * deterministic (seeded), with known stories to find: a volume spike in fr-partner in the
 * week of 2025-04-14, an SLA slide in de-partner over its last three weeks, a reassignment
 * rate in sg-gcc above the level-3 bar, and two malformed rows.
 *
 *   npx tsx examples/readiness/generate-cases.ts
 */
import { writeFileSync } from 'node:fs';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = mulberry32(20250602);
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const logNormal = (median: number, sigma: number) => median * Math.exp(sigma * normal());

const START = Date.UTC(2024, 11, 2); // Monday 2024-12-02
const NOW = Date.UTC(2025, 5, 2); // the example's run date, 2025-06-02
const WEEKS = 26;
const H = 3_600_000;
const PRIORITIES: [string, number, number, number][] = [
  // name, share, median hours to resolve, SLA target hours
  ['1 - Critical', 0.05, 3, 8],
  ['2 - High', 0.2, 8, 24],
  ['3 - Moderate', 0.5, 20, 72],
  ['4 - Low', 0.25, 36, 120],
];
const CLOUDS = [
  { id: 'fr-partner', prefix: 'FR', weekly: 55, reassign: 0.12 },
  { id: 'de-partner', prefix: 'DE', weekly: 45, reassign: 0.14 },
  { id: 'sg-gcc', prefix: 'SG', weekly: 35, reassign: 0.34 },
];

const ts = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const lines = ['id,cloud,priority,assignment_group,state,opened_at,first_response_at,resolved_at,closed_at,sla_met,reopen_count,reassignment_count'];
let n = 0;
for (const cloud of CLOUDS) {
  const groups = ['Tier 1', 'Tier 2', 'Platform', 'Identity'].map((g) => `${cloud.prefix} ${g}`);
  for (let w = 0; w < WEEKS; w++) {
    const weekStart = START + w * 7 * 24 * H;
    let volume = Math.round(cloud.weekly + normal() * 4);
    if (cloud.id === 'fr-partner' && w === 19) volume = Math.round(volume * 2.6); // week of 2025-04-14
    const slide = cloud.id === 'de-partner' && w >= WEEKS - 3 ? 4 : 1;
    for (let i = 0; i < volume; i++) {
      n++;
      let r = rand();
      const p = PRIORITIES.find(([, share]) => (r -= share) < 0) ?? PRIORITIES[2];
      // Weekdays carry most cases: a day of week weighted 5:1 against the weekend.
      const day = rand() < 0.9 ? Math.floor(rand() * 5) : 5 + Math.floor(rand() * 2);
      const opened = weekStart + day * 24 * H + (7 + rand() * 11) * H;
      const firstResponse = opened + logNormal(p[0].startsWith('1') ? 8 : 25, 0.6) * 60_000;
      const resolveH = logNormal(p[2] * slide, 0.5);
      const resolved = opened + resolveH * H;
      const done = resolved <= NOW;
      const reopened = rand() < 0.02 ? 1 : 0;
      const reassigned = rand() < cloud.reassign ? 1 + Math.floor(rand() * 2) : 0;
      lines.push(
        [
          `${cloud.prefix}-${String(n).padStart(6, '0')}`,
          cloud.id,
          p[0],
          groups[Math.floor(rand() * groups.length)],
          done ? 'Resolved' : 'In Progress',
          ts(opened),
          ts(firstResponse),
          done ? ts(resolved) : '',
          done && resolved + 72 * H <= NOW ? ts(resolved + 72 * H) : '',
          done ? String(resolveH <= p[3]) : '',
          done ? String(reopened) : '0',
          String(reassigned),
        ].join(','),
      );
    }
  }
}
// Two malformed rows, so the example shows how bad rows are reported (by line) while the rest loads.
lines.splice(1200, 0, 'FR-BAD-1,fr-partner,3 - Moderate,FR Tier 1,Resolved,not a date,,,,true,0,0');
lines.splice(2400, 0, 'DE-BAD-2,de-partner,2 - High,DE Tier 2,Resolved');
writeFileSync(new URL('./cases.csv', import.meta.url), `${lines.join('\n')}\n`);
console.log(`wrote examples/readiness/cases.csv: ${lines.length - 1} rows`);
