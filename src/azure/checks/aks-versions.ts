/**
 * assay's copy of the AKS Kubernetes release calendar, read by AZ-AKS-011. It ages: when AKS
 * publishes new minor versions or dates, copy them from the source below, set the date it was
 * copied, and run `npm run docs` (the check's page shows the table).
 */

/** When the table was last copied from the calendar (the page's own date). */
export const AKS_VERSIONS_AS_OF = '2026-08-05';
export const AKS_VERSIONS_SOURCE =
  'Microsoft Learn, "Supported Kubernetes versions in Azure Kubernetes Service (AKS)", ' +
  'https://learn.microsoft.com/azure/aks/supported-kubernetes-versions';

/**
 * AKS Kubernetes minor versions: the last day of AKS community support and of long-term
 * support (LTS, Premium tier with `supportPlan: AKSLongTermSupport`). Versions older than the
 * first entry ended before it; a version after the last entry is not known yet.
 */
export const AKS_VERSION_SUPPORT: Record<string, { endOfLife: string; ltsEndOfLife: string }> = {
  '1.27': { endOfLife: '2024-07-31', ltsEndOfLife: '2025-07-31' },
  '1.28': { endOfLife: '2025-01-31', ltsEndOfLife: '2026-02-28' },
  '1.29': { endOfLife: '2025-03-31', ltsEndOfLife: '2026-04-30' },
  '1.30': { endOfLife: '2025-08-22', ltsEndOfLife: '2026-07-31' },
  '1.31': { endOfLife: '2025-11-01', ltsEndOfLife: '2026-11-30' },
  '1.32': { endOfLife: '2026-03-31', ltsEndOfLife: '2027-03-31' },
  '1.33': { endOfLife: '2026-07-31', ltsEndOfLife: '2027-07-31' },
  '1.34': { endOfLife: '2026-11-30', ltsEndOfLife: '2027-11-30' },
  '1.35': { endOfLife: '2027-03-31', ltsEndOfLife: '2028-03-31' },
  '1.36': { endOfLife: '2027-06-30', ltsEndOfLife: '2028-06-30' },
  '1.37': { endOfLife: '2027-10-31', ltsEndOfLife: '2028-10-31' },
};

export function aksVersionTable(): string {
  const rows = Object.entries(AKS_VERSION_SUPPORT).map(
    ([minor, d]) => `| ${minor} | ${d.endOfLife} | ${d.ltsEndOfLife} |`,
  );
  return ['| Minor version | End of life | LTS end of life |', '| --- | --- | --- |', ...rows].join('\n');
}

/** `1.30.4` or `1.30` -> [1, 30]; undefined when the text is not a Kubernetes version. */
export function minorOf(version: string): [number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

export function compareMinor(a: readonly [number, number], b: readonly [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}
