/**
 * The table of mapped Terraform types docs/terraform.md shows: each type, the ARM type it
 * becomes (or attaches to) and the checks that read those ARM types. A test keeps the page
 * equal to this rendering of the registry.
 */
import { compareText } from '../../../../core/compare.ts';
import type { CheckMeta } from '../../../../core/model.ts';
import type { TypeMapping } from './draft.ts';

/** `Microsoft.Storage/storageAccounts (properties.networkAcls)` -> the ARM type alone. */
function armTypeOf(text: string): string {
  const space = text.indexOf(' ');
  return space < 0 ? text : text.slice(0, space);
}

export function mappedTypesTable(mappings: readonly TypeMapping[], checks: readonly CheckMeta[]): string {
  const byType = new Map<string, string[]>();
  for (const meta of checks) {
    for (const type of meta.subjectTypes) {
      const key = type.toLowerCase();
      const list = byType.get(key) ?? [];
      list.push(meta.id);
      byType.set(key, list);
    }
  }
  const rows = [
    '| Terraform type | ARM type | checks on that ARM type | also read by |',
    '| --- | --- | --- | --- |',
  ];
  for (const m of mappings) {
    const arm = [m.armType, ...(m.alsoArm ?? [])];
    const ids = new Set<string>();
    for (const a of arm) for (const id of byType.get(armTypeOf(a).toLowerCase()) ?? []) ids.add(id);
    const shown =
      m.tfType === 'azapi_resource'
        ? 'every check of the type it names'
        : [...ids].sort(compareText).join(', ') || '(none)';
    const armText = arm.map((a) =>
      a.startsWith('(') ? a : `\`${armTypeOf(a)}\`${a.slice(armTypeOf(a).length)}`,
    );
    rows.push(`| \`${m.tfType}\` | ${armText.join(', ')} | ${shown} | ${(m.informs ?? []).join(', ')} |`);
  }
  return `${rows.join('\n')}\n`;
}
