/**
 * A small InnerSource report built in memory for the formatter tests: one repository, one
 * person, with the strings under test placed where git history and remotes put them.
 */
import type { InnerSourceReport } from '../../src/innersource/scan.ts';
import { makeAssessment } from '../report/fixture.ts';

export interface HostileStrings {
  person?: string;
  repository?: string;
  team?: string;
  description?: string;
  remote?: string;
  guide?: string;
}

export function peopleReport(strings: HostileStrings = {}): InnerSourceReport {
  const repository = strings.repository ?? 'payments-api';
  const history = {
    commits: 4,
    activeContributors: 1,
    newContributors: 0,
    absenceFactor: 1,
    elephantFactor: 1,
    crossTeam: null,
    cadence: { trend: 'steady' },
    daysSinceLastActivity: 3,
    lastActivity: '2024-05-29',
    people: [
      {
        name: strings.person ?? 'Alice Ng',
        team: strings.team ?? 'payments',
        organisation: 'Example Corp',
        commits: 4,
        linesAdded: 10,
        linesDeleted: 2,
        firstCommit: '2024-03-01',
      },
    ],
  };
  const report = {
    schemaVersion: 1,
    window: { since: null, until: '2024-06-01' },
    repositories: [
      {
        name: repository,
        path: `repos/${repository}`,
        owner: { team: strings.team ?? 'payments' },
        remote: strings.remote ?? null,
        description: strings.description ?? null,
        languages: ['TypeScript'],
        history,
        responsiveness: null,
        tags: {},
        score: { level: 'healthy', score: 80 },
        activityScore: 50,
        scan: { mode: 'full', commitsRead: 4, totalCommits: 4, ms: 1, shallow: false, bare: false },
        contributionGuide: strings.guide ?? null,
      },
    ],
    teams: [],
    organisation: {
      repositories: 1,
      level: 'healthy',
      score: 80,
      commits: 4,
      contributors: 1,
      organisations: ['Example Corp'],
      elephantFactor: 1,
      crossTeamShare: null,
      unowned: 0,
    },
    people: true,
    assessment: makeAssessment({ findings: [], errors: [], notes: [] }),
  };
  // The formatters read a fraction of the full shapes; the rest is irrelevant here.
  return report as unknown as InnerSourceReport;
}
