/**
 * The InnerSource control catalog, written as an OSCAL 1.1.2 catalog so it can be exported
 * and profiled like any other framework. Controls are outcomes an InnerSource program
 * asks of a repository; each names the InnerSource Commons patterns that achieve it.
 * Statements and guidance are assay's own words.
 */

export interface Pattern {
  name: string;
  url: string;
}

const P = (name: string, slug: string): Pattern => ({
  name,
  url: `https://patterns.innersourcecommons.org/p/${slug}`,
});

/** InnerSource Commons patterns the checks point to. */
export const PATTERNS = {
  baseDocumentation: P('Standard Base Documentation', 'base-documentation'),
  trustedCommitter: P('Trusted Committer', 'trusted-committer'),
  warranty: P('30 Day Warranty', '30-day-warranty'),
  portal: P('InnerSource Portal', 'innersource-portal'),
  licence: P('InnerSource License', 'innersource-license'),
  issueTracker: P('Issue Tracker Use Cases', 'issue-tracker'),
  releaseProcess: P('Release Process', 'release-process'),
  activityScore: P('Repository Activity Score', 'repository-activity-score'),
  coreTeam: P('Core Team', 'core-team'),
  gigMarketplace: P('Gig Marketplace', 'gig-marketplace'),
} as const satisfies Record<string, Pattern>;

export interface OscalProp {
  name: string;
  value: string;
  ns?: string;
}

export interface OscalPart {
  id: string;
  name: string;
  prose: string;
}

export interface OscalControl {
  id: string;
  class: string;
  title: string;
  props: OscalProp[];
  links: { href: string; rel: string; text?: string }[];
  parts: OscalPart[];
}

export interface OscalGroup {
  id: string;
  class: string;
  title: string;
  controls: OscalControl[];
}

export interface OscalCatalog {
  catalog: {
    uuid: string;
    metadata: {
      title: string;
      'last-modified': string;
      version: string;
      'oscal-version': string;
      remarks?: string;
    };
    groups: OscalGroup[];
  };
}

function control(
  id: string,
  title: string,
  patterns: Pattern[],
  statement: string,
  guidance: string,
): OscalControl {
  return {
    id,
    class: 'innersource-control',
    title,
    props: [
      { name: 'label', value: id },
      ...patterns.map((p) => ({
        name: 'pattern',
        value: p.name,
        ns: 'https://github.com/assay/ns/innersource',
      })),
    ],
    links: patterns.map((p) => ({ href: p.url, rel: 'reference', text: p.name })),
    parts: [
      { id: `${id}_smt`, name: 'statement', prose: statement },
      { id: `${id}_gdn`, name: 'guidance', prose: guidance },
    ],
  };
}

export const INNERSOURCE_CATALOG: OscalCatalog = {
  catalog: {
    uuid: '6f0f3c7e-2a52-4d8e-9a63-0c7b4c1f5e21',
    metadata: {
      title: 'assay InnerSource controls',
      'last-modified': '2025-01-01T00:00:00Z',
      version: '1.0.0',
      'oscal-version': '1.1.2',
      remarks:
        'Outcomes an InnerSource program expects of a shared repository. Each control names the InnerSource Commons patterns that get there; the metric definitions follow CHAOSS.',
    },
    groups: [
      {
        id: 'isc-doc',
        class: 'family',
        title: 'Documentation a newcomer needs',
        controls: [
          control(
            'isc-standard-base-documentation',
            'Standard base documentation',
            [PATTERNS.baseDocumentation],
            'The repository explains what it is for, how to start using it and how to contribute to it, in the standard files a newcomer looks for first.',
            'A README that states the purpose and has a getting-started section, and a CONTRIBUTING guide (or a contributing section) that says how a change is proposed, reviewed and accepted.',
          ),
          control(
            'isc-contribution-templates',
            'Structured contribution requests',
            [PATTERNS.baseDocumentation, PATTERNS.issueTracker],
            'Issues and change requests are opened from a template that asks for what the host team needs to act on them.',
            'An issue template or a pull-request template in the places the code host reads them.',
          ),
          control(
            'isc-usage-terms',
            'Terms of reuse',
            [PATTERNS.licence],
            'The repository states on what terms other teams may use and change it: a licence or an internal usage statement.',
            'A LICENSE/LICENCE file, an InnerSource licence, or a README section stating the internal terms of use.',
          ),
          control(
            'isc-discoverability',
            'Discoverable project',
            [PATTERNS.portal],
            'The project describes itself in a form an InnerSource portal can list: a title, a description and where to start contributing.',
            'An innersource.json file with title and description, or at least a README purpose statement the portal can show.',
          ),
        ],
      },
      {
        id: 'isc-gov',
        class: 'family',
        title: 'Ownership and stewardship',
        controls: [
          control(
            'isc-trusted-committers',
            'Named trusted committers',
            [PATTERNS.trustedCommitter],
            'Contributors can see who reviews and accepts changes: code owners or named trusted committers.',
            'A CODEOWNERS file, or a list of trusted committers or maintainers in its own file or a README/CONTRIBUTING section.',
          ),
          control(
            'isc-contributor-resilience',
            'No single point of failure among contributors',
            [PATTERNS.trustedCommitter, PATTERNS.coreTeam],
            'The work is spread so that the project survives the absence of its most active contributor.',
            'A CHAOSS contributor absence factor of at least two over the assessment window.',
          ),
        ],
      },
      {
        id: 'isc-act',
        class: 'family',
        title: 'Activity and collaboration',
        controls: [
          control(
            'isc-sustained-activity',
            'Sustained activity',
            [PATTERNS.activityScore],
            'The project is alive: people commit to it regularly and newcomers keep arriving.',
            'A commit by a person within the activity threshold, new contributors within the window and a cadence that is not collapsing.',
          ),
          control(
            'isc-cross-team-collaboration',
            'Contributions from outside the owning team',
            [PATTERNS.portal, PATTERNS.gigMarketplace],
            'People outside the owning team contribute to the project, which is the point of InnerSource.',
            'A share of commits and change requests from outside the owning team at or above the threshold; owners defined in the mapping file or CODEOWNERS.',
          ),
          control(
            'isc-release-transparency',
            'Visible releases',
            [PATTERNS.releaseProcess],
            'Consumers can see what changed and when: releases are tagged and changes are recorded.',
            'A changelog and a tag or release within the release threshold.',
          ),
          control(
            'isc-newcomer-onboarding',
            'Work marked for newcomers',
            [PATTERNS.issueTracker, PATTERNS.baseDocumentation],
            'Issues suited to a first contribution are labelled so newcomers can find them.',
            'A "good first issue" label that open or recent issues carry.',
          ),
        ],
      },
      {
        id: 'isc-rsp',
        class: 'family',
        title: 'Responsiveness to contributions',
        controls: [
          control(
            'isc-responsive-review',
            'Timely review',
            [PATTERNS.trustedCommitter],
            'Change requests get a first response and a decision quickly, and every merged change was reviewed by someone other than its author.',
            'Median time to first response and to merge within the thresholds; review coverage at or above its threshold. Responses by the author and by bots do not count.',
          ),
          control(
            'isc-contribution-acceptance',
            'Contributions are accepted',
            [PATTERNS.warranty],
            'Most change requests that are closed are merged rather than declined.',
            'The share of closed change requests that were merged at or above the threshold (CHAOSS change request acceptance ratio).',
          ),
        ],
      },
    ],
  },
};

/** Every control id in the catalog. */
export const CONTROL_IDS: readonly string[] = INNERSOURCE_CATALOG.catalog.groups.flatMap((g) =>
  g.controls.map((c) => c.id),
);

export function findControl(id: string): OscalControl | undefined {
  for (const g of INNERSOURCE_CATALOG.catalog.groups) {
    const c = g.controls.find((x) => x.id === id);
    if (c) return c;
  }
  return undefined;
}
