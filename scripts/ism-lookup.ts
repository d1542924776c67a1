/**
 * Developer aid: search the ISM OSCAL catalog for controls whose statement matches words,
 * to choose the controls a check evidences. Usage: tsx scripts/ism-lookup.ts [--catalog PATH] WORD...
 */
import { existsSync, readFileSync } from 'node:fs';

interface Part {
  name: string;
  prose?: string;
}
interface Control {
  id: string;
  title: string;
  parts?: Part[];
}
interface Group {
  title: string;
  groups?: Group[];
  controls?: Control[];
}

const args = process.argv.slice(2);
let catalogPath = '../shared/data/ism-oscal/ISM_catalog.json';
const at = args.indexOf('--catalog');
if (at >= 0) {
  catalogPath = args[at + 1] ?? catalogPath;
  args.splice(at, 2);
}
if (!existsSync(catalogPath)) {
  console.error(`catalog not found: ${catalogPath}`);
  process.exit(2);
}
const catalog = JSON.parse(readFileSync(catalogPath, 'utf8')).catalog as Group;
const words = args.map((w) => w.toLowerCase());

function walk(group: Group, trail: string[]): void {
  for (const g of group.groups ?? []) walk(g, [...trail, g.title]);
  for (const c of group.controls ?? []) {
    const statement = c.parts?.find((p) => p.name === 'statement')?.prose ?? '';
    const text = `${c.id} ${c.title} ${statement} ${trail.join(' ')}`.toLowerCase();
    if (words.every((w) => text.includes(w)))
      console.log(`${c.id}  [${trail.slice(-2).join(' / ')}]\n    ${statement}`);
  }
}
walk(catalog, []);
