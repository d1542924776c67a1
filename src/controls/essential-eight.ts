/**
 * The ACSC Essential Eight mitigation strategies, by the short ids checks use in
 * `essentialEight`. Maturity levels (ML1-ML3) are baselines over ISM controls; see the
 * ISM's E8 profiles.
 */
export const ESSENTIAL_EIGHT = {
  'E8-AC': 'Application control',
  'E8-PA': 'Patch applications',
  'E8-MAC': 'Configure Microsoft Office macro settings',
  'E8-UAH': 'User application hardening',
  'E8-RAP': 'Restrict administrative privileges',
  'E8-POS': 'Patch operating systems',
  'E8-MFA': 'Multi-factor authentication',
  'E8-RB': 'Regular backups',
} as const;

export type EssentialEightId = keyof typeof ESSENTIAL_EIGHT;

export function isEssentialEightId(id: string): id is EssentialEightId {
  return Object.hasOwn(ESSENTIAL_EIGHT, id);
}
