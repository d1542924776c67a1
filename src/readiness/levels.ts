/**
 * Cumulative levels: a cloud holds level N only when every criterion of level N and of
 * every lower level passes (a waived criterion counts as passing: its risk was accepted).
 * Unknown blocks a level like a failure: readiness has to be shown, not assumed.
 */
import type { Finding, Status } from '../core/model.ts';
import { CRITERION_KIND } from './checks.ts';
import type { Framework } from './framework.ts';

export interface LevelStanding {
  level: number;
  name: string;
  passed: number;
  failed: number;
  unknown: number;
  waived: number;
  /** Criteria of this level that do not pass, with their status and message. */
  blockers: { criterion: string; title: string; status: Status; message: string }[];
}

export interface CloudLevel {
  cloud: string;
  /** Highest level held; 0 when level 1 is not held. */
  held: number;
  heldName: string;
  levels: LevelStanding[];
}

const MET: ReadonlySet<Status> = new Set<Status>(['pass', 'waived', 'not-applicable']);

/** Criterion id and cloud of a criterion finding, from its subject id `cloud/criterion`. */
export function criterionOf(f: Finding): { cloud: string; criterion: string } | undefined {
  if (f.subject.kind !== CRITERION_KIND) return undefined;
  const at = f.subject.id.indexOf('/');
  return at < 0 ? undefined : { cloud: f.subject.id.slice(0, at), criterion: f.subject.id.slice(at + 1) };
}

export function computeLevels(framework: Framework, findings: readonly Finding[]): CloudLevel[] {
  const byKey = new Map<string, Finding>();
  for (const f of findings) {
    const k = criterionOf(f);
    if (k) byKey.set(`${k.cloud}/${k.criterion}`, f);
  }
  const levels = [...framework.spec.levels].sort((a, b) => a.level - b.level);
  return framework.spec.clouds.map((cloud) => {
    const standings: LevelStanding[] = levels.map((l) => {
      const s: LevelStanding = {
        level: l.level,
        name: l.name,
        passed: 0,
        failed: 0,
        unknown: 0,
        waived: 0,
        blockers: [],
      };
      for (const c of framework.spec.criteria.filter((x) => x.level === l.level)) {
        const f = byKey.get(`${cloud.id}/${c.id}`);
        const status: Status = f?.status ?? 'unknown';
        if (status === 'pass' || status === 'not-applicable') s.passed++;
        else if (status === 'waived') s.waived++;
        else if (status === 'fail') s.failed++;
        else s.unknown++;
        if (!MET.has(status))
          s.blockers.push({
            criterion: c.id,
            title: c.title,
            status,
            message: f?.message ?? 'not evaluated',
          });
      }
      return s;
    });
    let held = 0;
    let heldName = 'none';
    for (const s of standings) {
      if (s.blockers.length > 0) break;
      held = s.level;
      heldName = s.name;
    }
    return { cloud: cloud.id, held, heldName, levels: standings };
  });
}

/** Levels as they stood in an earlier assessment, read back from its criterion findings. */
export function levelsFromFindings(findings: readonly Finding[], framework: Framework): Map<string, number> {
  return new Map(computeLevels(framework, findings).map((l) => [l.cloud, l.held]));
}
