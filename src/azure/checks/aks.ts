import { z } from 'zod';
import type { CheckOutcome } from '../../core/model.ts';
import { Unknown } from '../expressions/value.ts';
import { type AzureResource, getPath } from '../resource.ts';
import {
  AKS_VERSION_SUPPORT,
  AKS_VERSIONS_AS_OF,
  AKS_VERSIONS_SOURCE,
  aksVersionTable,
  compareMinor,
  minorOf,
} from './aks-versions.ts';
import { type AzureCheck, checkProperty, defineCheck, fail, pass, sameText, unknown } from './define.ts';

const AKS = 'Microsoft.ContainerService/managedClusters';
const AKS_DOCS = 'https://learn.microsoft.com/azure/templates/microsoft.containerservice/managedclusters';

/** CIDRs that open the API server to the whole internet. */
const ANYWHERE = ['0.0.0.0/0', '0.0.0.0', '*', 'internet', 'any'];

export const checks: AzureCheck[] = [
  defineCheck({
    id: 'AZ-AKS-001',
    title: 'AKS cluster uses Microsoft Entra ID integration for user authentication',
    severity: 'high',
    rationale:
      'Without Entra ID integration, cluster users authenticate with client certificates in kubeconfig files ' +
      'that cannot be revoked individually and bypass organisational sign-in policies. With it, access goes ' +
      'through Entra ID, where multi-factor authentication and conditional access apply to administrators.',
    remediation:
      'Set `properties.aadProfile.managed` to `true` (and preferably `properties.aadProfile.enableAzureRBAC` to `true`).',
    references: [AKS_DOCS, 'https://learn.microsoft.com/azure/aks/enable-authentication-microsoft-entra-id'],
    resourceTypes: [AKS],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'properties.aadProfile.managed',
        test: (v) => v === true,
        whenMissing: 'fail',
        expectation: 'managed Microsoft Entra ID integration is enabled',
      }),
  }),
  defineCheck({
    id: 'AZ-AKS-002',
    title: 'AKS cluster has local accounts disabled',
    severity: 'high',
    rationale:
      'Every AKS cluster has a built-in cluster-admin local account whose static credentials can be downloaded ' +
      'by anyone with the right Azure permission, bypassing Entra ID, multi-factor authentication and audit of ' +
      'the individual user. Disabling local accounts forces all access through Entra ID.',
    remediation:
      'Set `properties.disableLocalAccounts` to `true` (requires `properties.aadProfile.managed: true`).',
    references: [AKS_DOCS, 'https://learn.microsoft.com/azure/aks/manage-local-accounts-managed-azure-ad'],
    resourceTypes: [AKS],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'properties.disableLocalAccounts',
        test: (v) => v === true,
        whenMissing: 'fail',
        expectation: 'local accounts are disabled',
      }),
  }),
  defineCheck({
    id: 'AZ-AKS-003',
    title: 'AKS cluster has Kubernetes RBAC enabled',
    severity: 'high',
    rationale:
      'Kubernetes role-based access control restricts what each user and service account may do in the ' +
      'cluster. Without it every authenticated identity has full control of every workload and secret. The ' +
      'setting cannot be changed after creation, so the template should state it explicitly.',
    remediation: 'Set `properties.enableRBAC` to `true`.',
    references: [AKS_DOCS, 'https://learn.microsoft.com/azure/aks/concepts-identity#kubernetes-rbac'],
    resourceTypes: [AKS],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'properties.enableRBAC',
        test: (v) => v === true,
        whenMissing: 'fail',
        expectation: 'Kubernetes RBAC is enabled (enableRBAC is true)',
      }),
  }),
  defineCheck({
    id: 'AZ-AKS-004',
    title: 'AKS API server is private or restricted to authorised IP ranges',
    severity: 'high',
    rationale:
      'The Kubernetes API server is the management interface of the cluster. Exposed to the whole internet it ' +
      'can be probed, brute-forced and attacked through any API server vulnerability. A private cluster, or a ' +
      'short list of authorised ranges, keeps it reachable only from administrative networks.',
    remediation:
      'Set `properties.apiServerAccessProfile.enablePrivateCluster` to `true`, or list the administrative ' +
      'networks in `properties.apiServerAccessProfile.authorizedIPRanges`.',
    references: [AKS_DOCS, 'https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges'],
    resourceTypes: [AKS],
    evaluate: (r) => {
      const profilePath = 'properties.apiServerAccessProfile';
      const privatePath = `${profilePath}.enablePrivateCluster`;
      const rangesPath = `${profilePath}.authorizedIPRanges`;
      const isPrivate = getPath(r.body, privatePath);
      if (isPrivate === true)
        return pass(r, 'the cluster is a private cluster', privatePath, { path: privatePath, value: true });
      const ranges = getPath(r.body, rangesPath);
      if (Array.isArray(ranges) && ranges.length > 0) {
        const u = ranges.find((x) => x instanceof Unknown);
        const open = ranges.find((x) => typeof x === 'string' && ANYWHERE.includes(x.trim().toLowerCase()));
        if (open !== undefined) {
          return fail(
            r,
            `the authorised IP ranges include ${JSON.stringify(open)}, which is the whole internet`,
            rangesPath,
            {
              path: rangesPath,
              value: ranges.map((x) => (x instanceof Unknown ? x.toJSON() : x)),
            },
          );
        }
        if (u instanceof Unknown) {
          return unknown(
            r,
            `cannot decide whether the authorised IP ranges are restrictive: an entry is unknown (${u.reason})`,
            rangesPath,
            u,
          );
        }
        return pass(
          r,
          `the API server accepts only the authorised IP ranges ${ranges.join(', ')}`,
          rangesPath,
          {
            path: rangesPath,
            value: ranges,
          },
        );
      }
      if (isPrivate instanceof Unknown) {
        return unknown(
          r,
          `cannot decide whether the API server is private: ${privatePath} is unknown (${isPrivate.reason})`,
          privatePath,
          isPrivate,
        );
      }
      if (ranges instanceof Unknown) {
        return unknown(
          r,
          `cannot decide whether the API server is restricted: ${rangesPath} is unknown (${ranges.reason})`,
          rangesPath,
          ranges,
        );
      }
      return fail(r, 'the API server is public and accepts connections from any address', profilePath, {
        path: profilePath,
        value: null,
      });
    },
  }),
  defineCheck({
    id: 'AZ-AKS-005',
    title: 'AKS cluster enforces Kubernetes network policies',
    severity: 'medium',
    rationale:
      'Without a network policy engine every pod can talk to every other pod in the cluster, so one ' +
      'compromised workload can reach databases, other tenants and cluster services. A network policy engine ' +
      'lets the cluster enforce segmentation between workloads.',
    remediation:
      "Set `properties.networkProfile.networkPolicy` to `'azure'`, `'calico'` or `'cilium'` (with `networkDataplane: 'cilium'`).",
    references: [AKS_DOCS, 'https://learn.microsoft.com/azure/aks/use-network-policies'],
    resourceTypes: [AKS],
    evaluate: (r) => {
      const dataplane = getPath(r.body, 'properties.networkProfile.networkDataplane');
      const policy = getPath(r.body, 'properties.networkProfile.networkPolicy');
      if (policy === undefined && typeof dataplane === 'string' && sameText(dataplane, 'cilium')) {
        return pass(
          r,
          'the Cilium dataplane enforces network policies',
          'properties.networkProfile.networkDataplane',
          {
            path: 'properties.networkProfile.networkDataplane',
            value: dataplane,
          },
        );
      }
      if (policy === undefined && dataplane instanceof Unknown) {
        return unknown(
          r,
          `cannot decide whether network policies are enforced: properties.networkProfile.networkDataplane is unknown (${dataplane.reason})`,
          'properties.networkProfile.networkDataplane',
          dataplane,
        );
      }
      return checkProperty(r, {
        path: 'properties.networkProfile.networkPolicy',
        test: (v) => typeof v === 'string' && ['azure', 'calico', 'cilium'].some((p) => sameText(v, p)),
        whenMissing: 'fail',
        expectation: 'a network policy engine (azure, calico or cilium) is enabled',
      });
    },
  }),
  defineCheck({
    id: 'AZ-AKS-006',
    title: 'AKS cluster has the Azure Policy add-on enabled',
    severity: 'medium',
    rationale:
      'The Azure Policy add-on (Gatekeeper) enforces approved configuration on workloads at admission, such as ' +
      'no privileged containers and only trusted registries. Without it, insecure pod specifications are ' +
      'accepted as long as the deployer has permission.',
    remediation: 'Set `properties.addonProfiles.azurepolicy.enabled` to `true`.',
    references: [
      AKS_DOCS,
      'https://learn.microsoft.com/azure/governance/policy/concepts/policy-for-kubernetes',
    ],
    resourceTypes: [AKS],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'properties.addonProfiles.azurepolicy.enabled',
        test: (v) => v === true,
        whenMissing: 'fail',
        expectation: 'the Azure Policy add-on is enabled',
      }),
  }),
  defineCheck({
    id: 'AZ-AKS-007',
    title: 'AKS cluster has an automatic Kubernetes upgrade channel',
    severity: 'medium',
    rationale:
      'Kubernetes minor and patch releases fix vulnerabilities in the control plane and node components. ' +
      'Without an auto-upgrade channel, patches depend on someone remembering to upgrade, and clusters drift ' +
      'out of support. An upgrade channel applies them on a schedule.',
    remediation:
      "Set `properties.autoUpgradeProfile.upgradeChannel` to `'patch'` or `'stable'` (and define a maintenance window).",
    references: [AKS_DOCS, 'https://learn.microsoft.com/azure/aks/auto-upgrade-cluster'],
    resourceTypes: [AKS],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'properties.autoUpgradeProfile.upgradeChannel',
        test: (v) => typeof v === 'string' && v.length > 0 && !sameText(v, 'none'),
        whenMissing: 'fail',
        expectation: 'an automatic upgrade channel is set',
      }),
  }),
  defineCheck({
    id: 'AZ-AKS-008',
    title: 'AKS node operating systems are patched automatically',
    severity: 'medium',
    rationale:
      'Node images carry the operating system of every worker node. If the node OS upgrade channel is None or ' +
      'Unmanaged, security patches are not applied by AKS, and nodes run with known operating system ' +
      'vulnerabilities until someone reimages them.',
    remediation:
      "Set `properties.autoUpgradeProfile.nodeOSUpgradeChannel` to `'NodeImage'` or `'SecurityPatch'` (the default is NodeImage).",
    references: [AKS_DOCS, 'https://learn.microsoft.com/azure/aks/auto-upgrade-node-os-image'],
    resourceTypes: [AKS],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'properties.autoUpgradeProfile.nodeOSUpgradeChannel',
        test: (v) => sameText(v, 'NodeImage') || sameText(v, 'SecurityPatch'),
        whenMissing: 'pass',
        expectation: 'the node OS upgrade channel patches nodes (NodeImage or SecurityPatch)',
      }),
  }),
  defineCheck({
    id: 'AZ-AKS-009',
    title: 'AKS cluster has Microsoft Defender for Containers enabled',
    severity: 'medium',
    rationale:
      'Defender for Containers watches the cluster for runtime threats such as crypto-mining, privilege ' +
      'escalation and access to the instance metadata service, and raises alerts for analysis. Without it, ' +
      'compromise of a workload may go unnoticed.',
    remediation:
      'Set `properties.securityProfile.defender.securityMonitoring.enabled` to `true` and ' +
      '`properties.securityProfile.defender.logAnalyticsWorkspaceResourceId` to the workspace.',
    references: [
      AKS_DOCS,
      'https://learn.microsoft.com/azure/defender-for-cloud/defender-for-containers-introduction',
    ],
    resourceTypes: [AKS],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'properties.securityProfile.defender.securityMonitoring.enabled',
        test: (v) => v === true,
        whenMissing: 'fail',
        expectation: 'Defender for Containers security monitoring is enabled',
      }),
  }),
  defineCheck({
    id: 'AZ-AKS-010',
    title: 'AKS cluster sends container logs to Azure Monitor (Container insights)',
    severity: 'low',
    rationale:
      'Container and node logs are needed to investigate incidents in the cluster. Without the monitoring ' +
      'add-on they stay on the nodes, are lost when nodes are replaced, and are not collected centrally.',
    remediation:
      'Set `properties.addonProfiles.omsagent.enabled` to `true` with `config.logAnalyticsWorkspaceResourceID` set to the workspace.',
    references: [
      AKS_DOCS,
      'https://learn.microsoft.com/azure/azure-monitor/containers/container-insights-overview',
    ],
    resourceTypes: [AKS],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'properties.addonProfiles.omsagent.enabled',
        test: (v) => v === true,
        whenMissing: 'fail',
        expectation: 'the monitoring (omsagent) add-on is enabled',
      }),
  }),
  defineCheck({
    id: 'AZ-AKS-011',
    title: 'AKS cluster runs a supported Kubernetes version',
    severity: 'medium',
    rationale:
      'A Kubernetes minor version past its AKS end of life receives no security patches: AKS gives it platform ' +
      'support only (no fixes to Kubernetes components), so known vulnerabilities in the API server and kubelet ' +
      'stay open. Unsupported applications must be removed or upgraded. The check compares ' +
      '`properties.kubernetesVersion` with the date of the scan: a version passes until its end of life, or until ' +
      'its long-term support (LTS) end when the cluster has `properties.supportPlan` `AKSLongTermSupport`. A ' +
      'cluster that sets no version is created on the default version AKS picks, always a supported one (AKS ' +
      'supported versions documentation, checked 2026-12-04), and passes.\n\n' +
      `assay's copy of the AKS Kubernetes release calendar, as of ${AKS_VERSIONS_AS_OF} ` +
      `(source: ${AKS_VERSIONS_SOURCE}; a month means its last day):\n\n` +
      `${aksVersionTable()}\n\n` +
      'This table ages. A version newer than every version it lists is reported as unknown. To update it, copy ' +
      'the minor versions and their end-of-life and LTS end-of-life dates from the calendar into ' +
      '`AKS_VERSION_SUPPORT`, set `AKS_VERSIONS_AS_OF` in `src/azure/checks/aks-versions.ts`, and run `npm run docs`.',
    remediation:
      'Upgrade the cluster to a supported minor version (set `properties.kubernetesVersion`, e.g. `1.34`, or leave ' +
      "it unset for the default) and set `properties.autoUpgradeProfile.upgradeChannel` to `'patch'` or `'stable'` " +
      'so it stays supported.',
    references: [
      AKS_DOCS,
      'https://learn.microsoft.com/azure/aks/supported-kubernetes-versions',
      'https://learn.microsoft.com/azure/aks/long-term-support',
    ],
    resourceTypes: [AKS],
    options: {
      schema: z.object({ minSupportDays: z.number().int().min(0).max(3650) }),
      defaults: { minSupportDays: 0 },
      descriptions: {
        minSupportDays:
          'Days of support a version must have left after the scan date; 0 passes a version until its last day of support, 90 gives a quarter to plan the upgrade.',
      },
    },
    evaluate: (r, context, { minSupportDays }) =>
      kubernetesVersionSupport(r, context.now.slice(0, 10), minSupportDays),
  }),
];

/** `YYYY-MM-DD` plus whole days, in UTC. */
function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Supported means supported on the scan date and for `minSupportDays` after it. */
function kubernetesVersionSupport(r: AzureResource, today: string, minSupportDays: number): CheckOutcome {
  const path = 'properties.kubernetesVersion';
  const version = getPath(r.body, path);
  if (version instanceof Unknown) {
    return unknown(
      r,
      `cannot decide whether the version is supported: ${path} is unknown (${version.reason})`,
      path,
      version,
    );
  }
  if (version === undefined || version === null || version === '') {
    return pass(
      r,
      `${path} is not set: AKS creates the cluster on its default version, which is supported`,
      path,
      {
        path,
        value: null,
      },
    );
  }
  const minor = typeof version === 'string' ? minorOf(version) : undefined;
  if (!minor) {
    return unknown(
      r,
      `${path} = ${JSON.stringify(version)} is not a Kubernetes version (major.minor[.patch])`,
      path,
    );
  }
  const key = `${minor[0]}.${minor[1]}`;
  const known = Object.keys(AKS_VERSION_SUPPORT).map((k) => minorOf(k)!);
  const evidence = { path, value: version, tableAsOf: AKS_VERSIONS_AS_OF };
  const support = AKS_VERSION_SUPPORT[key];
  if (!support) {
    if (compareMinor(minor, known[0]!) < 0) {
      return fail(
        r,
        `Kubernetes ${key} is older than every version in assay's AKS table, whose oldest ended by ${AKS_VERSION_SUPPORT[Object.keys(AKS_VERSION_SUPPORT)[0]!]!.ltsEndOfLife}; it is out of support`,
        path,
        evidence,
      );
    }
    return unknown(
      r,
      `Kubernetes ${key} is newer than assay's AKS version table (as of ${AKS_VERSIONS_AS_OF}); update the table to decide`,
      path,
    );
  }
  const horizon = addDays(today, minSupportDays);
  const dated = {
    ...evidence,
    endOfLife: support.endOfLife,
    ltsEndOfLife: support.ltsEndOfLife,
    ...(minSupportDays > 0 ? { minSupportDays, supportedUntilAtLeast: horizon } : {}),
  };
  if (horizon <= support.endOfLife) {
    return pass(r, `Kubernetes ${key} is supported by AKS until ${support.endOfLife}`, path, dated);
  }
  const plan = getPath(r.body, 'properties.supportPlan');
  const lts = typeof plan === 'string' && sameText(plan, 'AKSLongTermSupport');
  if (horizon > support.ltsEndOfLife || (!lts && !(plan instanceof Unknown))) {
    const soon = `fewer than ${minSupportDays} days after the scan date (minSupportDays)`;
    const end =
      today > support.endOfLife
        ? `reached end of life on ${support.endOfLife}`
        : `reaches end of life on ${support.endOfLife}, ${soon}`;
    let ltsNote = ` (long-term support, supportPlan AKSLongTermSupport, would last until ${support.ltsEndOfLife})`;
    if (today > support.ltsEndOfLife) ltsNote = `; its long-term support ended on ${support.ltsEndOfLife}`;
    else if (horizon > support.ltsEndOfLife)
      ltsNote = `; its long-term support ends on ${support.ltsEndOfLife}, also ${soon}`;
    return fail(r, `Kubernetes ${key} ${end}${ltsNote}`, path, dated);
  }
  if (lts) {
    return pass(
      r,
      `Kubernetes ${key} has long-term support until ${support.ltsEndOfLife} (supportPlan AKSLongTermSupport)`,
      path,
      dated,
    );
  }
  return unknown(
    r,
    `Kubernetes ${key} reached end of life on ${support.endOfLife} but has long-term support until ${support.ltsEndOfLife}: properties.supportPlan is unknown (${(plan as Unknown).reason})`,
    'properties.supportPlan',
    plan as Unknown,
  );
}
