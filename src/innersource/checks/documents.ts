/** Standard base documentation and friends: files a newcomer looks for first. */
import { PATTERNS } from '../catalog.ts';
import {
  CONTRIBUTING_SECTION,
  findHeading,
  GETTING_STARTED,
  HOW_TO_CONTRIBUTE,
  LICENCE_SECTION,
  purposeOf,
  TRUSTED_SECTION,
} from '../documents.ts';
import { parseCodeOwners } from '../mapping.ts';
import { at, defineCheck, fail, pass } from './define.ts';

const LOOKED = 'root, .github/, docs/, .gitlab/, .azuredevops/';

export const readmeCheck = defineCheck({
  id: 'IS-DOC-001',
  title: 'README states the purpose and how to get started',
  severity: 'medium',
  rationale:
    'A README is the first thing a potential contributor or user opens. Without a statement of purpose they cannot judge whether a change belongs in the project; without a getting-started section every newcomer has to ask the host team.',
  remediation:
    'Add a README.md whose first paragraph says what the project is for and what is out of scope, followed by a "Getting started" section with the steps a first-time user takes (install, configure, run).',
  controls: ['isc-standard-base-documentation'],
  pattern: PATTERNS.baseDocumentation,
  evaluate(repo) {
    const readme = repo.documents.readme;
    if (!readme)
      return fail(
        at(repo, 'README.md'),
        `no README found (looked in ${LOOKED}, any case, .md/.rst/.txt/.adoc)`,
      );
    const text = readme.text ?? '';
    const purpose = purposeOf(text);
    const started = findHeading(text, GETTING_STARTED);
    const missing = [
      purpose ? '' : 'a paragraph stating the purpose',
      started ? '' : 'a getting-started section (Getting started, Usage, Installation, ...)',
    ].filter(Boolean);
    const evidence = {
      file: readme.path,
      purposeLine: purpose?.line ?? null,
      gettingStartedLine: started?.line ?? null,
    };
    if (missing.length > 0)
      return fail(at(repo, readme.path), `${readme.path} lacks ${missing.join(' and ')}`, evidence);
    return pass(
      at(repo, readme.path, started?.line ?? 1),
      `${readme.path} states a purpose (line ${purpose?.line}) and has "${started?.text}" (line ${started?.line})`,
      evidence,
    );
  },
});

export const contributingCheck = defineCheck({
  id: 'IS-DOC-002',
  title: 'CONTRIBUTING explains how to contribute',
  severity: 'medium',
  rationale:
    'Guest contributors need to know how a change is proposed, built, tested and reviewed before they invest time in it. Written once, it saves the host team from explaining it to each of them.',
  remediation:
    'Add CONTRIBUTING.md (or a "Contributing" section in the README) covering how to get the code, build and test it, how to propose a change (branch, pull request, issue first?) and what turnaround to expect.',
  controls: ['isc-standard-base-documentation'],
  pattern: PATTERNS.baseDocumentation,
  evaluate(repo) {
    const guide = repo.documents.contributing;
    if (guide) {
      const ok = HOW_TO_CONTRIBUTE.test(guide.text ?? '');
      return ok
        ? pass(at(repo, guide.path), `${guide.path} explains how to propose a change`, { file: guide.path })
        : fail(
            at(repo, guide.path),
            `${guide.path} does not say how to propose a change (no mention of pull/merge requests, branches, forks or issues)`,
            { file: guide.path },
          );
    }
    const readme = repo.documents.readme;
    const section = readme?.text ? findHeading(readme.text, CONTRIBUTING_SECTION) : undefined;
    if (readme && section) {
      const after = (readme.text ?? '')
        .split(/\r?\n/)
        .slice(section.line, section.line + 40)
        .join('\n');
      if (HOW_TO_CONTRIBUTE.test(after))
        return pass(
          at(repo, readme.path, section.line),
          `${readme.path} has a "${section.text}" section that explains how to contribute`,
          {
            file: readme.path,
          },
        );
      return fail(
        at(repo, readme.path, section.line),
        `no CONTRIBUTING file, and the README's "${section.text}" section does not say how to propose a change`,
      );
    }
    return fail(
      at(repo, 'CONTRIBUTING.md'),
      `no CONTRIBUTING file (looked in ${LOOKED}) and no contributing section in the README`,
    );
  },
});

export const trustedCommittersCheck = defineCheck({
  id: 'IS-DOC-003',
  title: 'Code owners or trusted committers are named',
  severity: 'medium',
  rationale:
    'Contributors need to know who reviews and accepts their changes. Named trusted committers (or code owners that the code host requests reviews from) make that explicit and give guests someone to talk to in public channels.',
  remediation:
    'Add a CODEOWNERS file (in .github/ or the root) that assigns the owning team, or list the trusted committers in TRUSTED-COMMITTERS.md or a README section, with how someone becomes one.',
  controls: ['isc-trusted-committers'],
  pattern: PATTERNS.trustedCommitter,
  evaluate(repo) {
    const owners = repo.documents.codeowners;
    if (owners) {
      const rule = parseCodeOwners(owners.text ?? '').find((r) => r.owners.length > 0);
      if (rule)
        return pass(
          at(repo, owners.path, rule.line),
          `${owners.path} assigns owners (${rule.owners.join(' ')})`,
          {
            file: owners.path,
          },
        );
    }
    const listed = repo.documents.trustedCommitters;
    if (listed)
      return pass(at(repo, listed.path), `${listed.path} names the trusted committers`, {
        file: listed.path,
      });
    for (const doc of [repo.documents.readme, repo.documents.contributing]) {
      const h = doc?.text ? findHeading(doc.text, TRUSTED_SECTION) : undefined;
      if (doc && h)
        return pass(at(repo, doc.path, h.line), `${doc.path} names them under "${h.text}"`, {
          file: doc.path,
        });
    }
    if (owners) return fail(at(repo, owners.path), `${owners.path} has no rule with an owner`);
    return fail(
      at(repo, '.github/CODEOWNERS'),
      'no CODEOWNERS file, trusted-committers/maintainers file, or README section naming them',
    );
  },
});

export const templateCheck = defineCheck({
  id: 'IS-DOC-004',
  title: 'An issue or pull-request template guides contributors',
  severity: 'low',
  rationale:
    'A template asks for what the host team needs to act on a request (context, expected behaviour, tests run), so fewer round trips are needed before a contribution can be reviewed.',
  remediation:
    'Add .github/PULL_REQUEST_TEMPLATE.md (or .azuredevops/pull_request_template.md) and/or issue templates under .github/ISSUE_TEMPLATE/ asking for the information reviewers need.',
  controls: ['isc-contribution-templates'],
  pattern: PATTERNS.issueTracker,
  evaluate(repo) {
    const t = repo.documents.pullRequestTemplate ?? repo.documents.issueTemplate;
    if (t) return pass(at(repo, t.path), `template found: ${t.path}`, { file: t.path });
    return fail(at(repo, '.github/PULL_REQUEST_TEMPLATE.md'), 'no issue or pull-request template found');
  },
});

export const licenceCheck = defineCheck({
  id: 'IS-DOC-005',
  title: 'A licence or internal usage statement sets the terms of reuse',
  severity: 'medium',
  rationale:
    'Teams hesitate to reuse or change code when the terms are unclear: who may use it, in which products, with what support. A licence or internal usage statement answers that once.',
  remediation:
    'Add a LICENSE file, an InnerSource licence, or a README "Licence"/"Internal use" section stating who may use and modify the code and on what terms.',
  controls: ['isc-usage-terms'],
  pattern: PATTERNS.licence,
  evaluate(repo) {
    const file = repo.documents.licence;
    if (file) return pass(at(repo, file.path), `terms of use in ${file.path}`, { file: file.path });
    const readme = repo.documents.readme;
    const h = readme?.text ? findHeading(readme.text, LICENCE_SECTION) : undefined;
    if (readme && h)
      return pass(at(repo, readme.path, h.line), `${readme.path} states terms under "${h.text}"`, {
        file: readme.path,
      });
    return fail(at(repo, 'LICENSE'), 'no licence file and no licence or internal-use section in the README');
  },
});

export const changelogCheck = defineCheck({
  id: 'IS-DOC-006',
  title: 'A changelog records what changed',
  severity: 'low',
  rationale:
    'Consumers in other teams decide whether and when to upgrade from the changelog; without it they read commit logs or ask.',
  remediation:
    'Keep a CHANGELOG.md (History.md, CHANGES, NEWS and RELEASES are also recognised) with an entry per release.',
  controls: ['isc-release-transparency'],
  pattern: PATTERNS.releaseProcess,
  evaluate(repo) {
    const file = repo.documents.changelog;
    if (file) return pass(at(repo, file.path), `changelog: ${file.path}`, { file: file.path });
    return fail(at(repo, 'CHANGELOG.md'), 'no changelog (CHANGELOG, HISTORY, CHANGES, NEWS, RELEASES)');
  },
});

export const codeOfConductCheck = defineCheck({
  id: 'IS-DOC-007',
  title: 'A code of conduct sets expectations for collaboration',
  severity: 'info',
  rationale:
    'Guests from other teams contribute more readily when the expected behaviour in reviews and discussions is written down.',
  remediation:
    'Add CODE_OF_CONDUCT.md, for example adapted from the Contributor Covenant or your organisation’s own.',
  controls: ['isc-standard-base-documentation'],
  pattern: PATTERNS.baseDocumentation,
  evaluate(repo) {
    const file = repo.documents.codeOfConduct;
    if (file) return pass(at(repo, file.path), `code of conduct: ${file.path}`, { file: file.path });
    return fail(at(repo, 'CODE_OF_CONDUCT.md'), 'no code of conduct');
  },
});

export const portalMetadataCheck = defineCheck({
  id: 'IS-DOC-008',
  title: 'innersource.json describes the project for the portal',
  severity: 'info',
  rationale:
    'An InnerSource portal lists projects from their metadata file; without one, the portal can only guess a description from the README.',
  remediation:
    'Add innersource.json at the root with at least "title" and "description" (and "contributions"/"skills" where useful), as the InnerSource Portal pattern describes.',
  controls: ['isc-discoverability'],
  pattern: PATTERNS.portal,
  evaluate(repo) {
    const file = repo.documents.portalMetadata;
    if (!file)
      return fail(at(repo, 'innersource.json'), 'no innersource.json; the portal falls back to the README');
    let value: unknown;
    try {
      value = JSON.parse(file.text ?? '');
    } catch (err) {
      return fail(at(repo, file.path), `${file.path} is not valid JSON: ${(err as Error).message}`);
    }
    const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    const desc = v.description ?? (v._InnerSourceMetadata as Record<string, unknown> | undefined)?.motivation;
    if (typeof v.title === 'string' || typeof desc === 'string')
      return pass(at(repo, file.path), `${file.path} gives the portal a title/description`, {
        file: file.path,
      });
    return fail(at(repo, file.path), `${file.path} has neither "title" nor "description"`);
  },
});

export const documentChecks = [
  readmeCheck,
  contributingCheck,
  trustedCommittersCheck,
  templateCheck,
  licenceCheck,
  changelogCheck,
  codeOfConductCheck,
  portalMetadataCheck,
];
