/**
 * The architecture diagram of a TRA: internet, entry points, compute and data stores, the
 * exposure paths between them (open in red, undecided dashed), private links and Bastion
 * management, and resources outside the boundary marked. Rendered as Mermaid (for
 * Markdown) and as a self-contained SVG (for HTML and PDF, which cannot run Mermaid).
 */
import { appendAll } from '../../core/extent.ts';
import type { ArchitectureModel, ArchNode, Exposure } from '../architecture/model.ts';
import { INTERNET_NODE } from '../architecture/model.ts';
import { describePorts } from '../architecture/nsg.ts';

export interface DiagramNode {
  id: string;
  label: string;
  kind: string;
  /** 0 internet, 1 entry points, 2 compute, 3 data. */
  layer: number;
  exposure?: Exposure;
  /** Why the resource is outside the boundary, when it is. */
  breach?: string;
  /** Virtual network the node sits in, for grouping. */
  vnet?: string;
  /** Innermost trust boundary (id) the node sits in: a private endpoint, subnet or virtual network. */
  zone?: string;
}

/** A trust boundary drawn as a box around its members (Mermaid subgraphs, nested). */
export interface DiagramBoundary {
  id: string;
  label: string;
  parent?: string;
}

export interface DiagramEdge {
  from: string;
  to: string;
  label: string;
  style: 'open' | 'unknown' | 'private' | 'management' | 'flow' | 'crossing';
}

export interface Diagram {
  nodes: DiagramNode[];
  edges: DiagramEdge[];
  /** Trust boundaries with a drawn member, outermost first. */
  boundaries: DiagramBoundary[];
  /** Nodes left out to keep the picture readable. */
  omitted: number;
}

/** Beyond this many nodes, only exposed, undecided and out-of-boundary ones are drawn. */
export const MAX_DIAGRAM_NODES = 60;

const LAYER: Record<ArchNode['role'], number> = { internet: 0, entry: 1, network: 1, compute: 2, data: 3 };
const SHOWN_NETWORK = new Set([
  'load-balancer',
  'application-gateway',
  'firewall',
  'bastion',
  'private-endpoint',
]);

const kindText = (k: string) => k.replace(/-/g, ' ');

/**
 * Chooses what to draw. `breaches` maps a subject id to the reason it is outside the boundary.
 */
export function buildDiagram(model: ArchitectureModel, breaches: ReadonlyMap<string, string>): Diagram {
  const byId = new Map(model.nodes.map((n) => [n.id, n]));
  const shown = (n: ArchNode) =>
    n.role === 'internet' ||
    n.role === 'entry' ||
    n.role === 'compute' ||
    n.role === 'data' ||
    SHOWN_NETWORK.has(n.kind);
  const onPath = new Set<string>();
  for (const p of model.paths)
    if (p.status === 'open' || p.status === 'unknown') for (const h of p.hops) onPath.add(h);
  const important = (n: ArchNode) => {
    const reach = model.reachability.get(n.id);
    return (
      n.id === INTERNET_NODE ||
      onPath.has(n.id) ||
      reach?.exposure === 'internet' ||
      reach?.exposure === 'unknown' ||
      (n.subjectId !== undefined && breaches.has(n.subjectId))
    );
  };
  let candidates = model.nodes.filter(shown);
  // Public IPs attached to something are drawn through their path; a lone one still shows.
  const linked = new Set(model.edges.map((e) => e.from));
  candidates = candidates.filter((n) => n.kind !== 'public-ip' || onPath.has(n.id) || !linked.has(n.id));
  let chosen = candidates;
  if (chosen.length > MAX_DIAGRAM_NODES) {
    chosen = candidates.filter(important).slice(0, MAX_DIAGRAM_NODES);
  }
  const ids = new Set(chosen.map((n) => n.id));

  // Virtual network of each compute node: through its NICs' (or its own) subnets.
  const vnetOf = new Map<string, string>();
  const subnetVnet = (subnet: string) => {
    const vnet = byId.get(subnet.replace(/\/subnets\/[^/]+$/, ''));
    return vnet?.name;
  };
  const attachedTo = new Map<string, string[]>();
  for (const a of model.edges)
    if (a.kind === 'attached') attachedTo.set(a.from, [...(attachedTo.get(a.from) ?? []), a.to]);
  for (const e of model.edges) {
    if (e.kind !== 'in-subnet') continue;
    const vnet = subnetVnet(e.to);
    if (!vnet) continue;
    if (ids.has(e.from)) vnetOf.set(e.from, vnet);
    for (const to of attachedTo.get(e.from) ?? []) if (ids.has(to)) vnetOf.set(to, vnet);
  }

  // Innermost network boundary of each drawn node: private endpoint, then subnet, then VNet.
  const boundaryById = new Map(model.boundaries.map((b) => [b.id, b]));
  const zoneOf = new Map<string, string>();
  const depth = { 'private-endpoint': 3, subnet: 2, 'virtual-network': 1 } as Record<string, number>;
  for (const b of model.boundaries) {
    const rank = depth[b.kind];
    if (!rank) continue;
    for (const m of b.members) {
      if (!ids.has(m)) continue;
      const current = zoneOf.get(m);
      if (!current || (depth[boundaryById.get(current)?.kind ?? ''] ?? 0) < rank) zoneOf.set(m, b.id);
    }
  }
  const sovereign = boundaryById.get('sovereign');
  const inSovereign = new Set(sovereign?.members ?? []);
  const used = new Set<string>();
  for (const zone of zoneOf.values())
    for (
      let b = boundaryById.get(zone);
      b && !used.has(b.id);
      b = b.parent ? boundaryById.get(b.parent) : undefined
    )
      used.add(b.id);
  const boundaries: DiagramBoundary[] = [];
  if (sovereign) boundaries.push({ id: sovereign.id, label: sovereign.name });
  for (const b of model.boundaries)
    if (used.has(b.id)) {
      const parent = b.parent ?? (sovereign && b.kind === 'virtual-network' ? sovereign.id : undefined);
      boundaries.push({
        id: b.id,
        label: `${b.kind === 'virtual-network' ? 'VNet' : b.kind === 'subnet' ? 'subnet' : 'private endpoint'} ${b.name}`,
        ...(parent ? { parent } : {}),
      });
    }
  // Boundaries sort outermost first, so a renderer can open each inside its parent.
  const level = (b: DiagramBoundary): number => {
    const parent = b.parent ? boundaries.find((x) => x.id === b.parent) : undefined;
    return parent ? 1 + level(parent) : 0;
  };
  boundaries.sort((a, b) => level(a) - level(b));

  const nodes: DiagramNode[] = chosen.map((n) => {
    const reach = model.reachability.get(n.id);
    const breach = n.subjectId ? breaches.get(n.subjectId) : undefined;
    const vnet = vnetOf.get(n.id);
    const zone =
      zoneOf.get(n.id) ?? (sovereign && inSovereign.has(n.id) && !breach ? sovereign.id : undefined);
    return {
      id: n.id,
      label: n.name,
      kind: kindText(n.kind),
      layer: LAYER[n.role],
      ...(reach && n.role !== 'entry' ? { exposure: reach.exposure } : {}),
      ...(breach ? { breach } : {}),
      ...(vnet ? { vnet } : {}),
      ...(zone ? { zone } : {}),
    };
  });

  const edges: DiagramEdge[] = [];
  const seen = new Set<string>();
  const add = (e: DiagramEdge) => {
    const key = `${e.from}|${e.to}|${e.style}`;
    if (seen.has(key) || e.from === e.to) return;
    seen.add(key);
    edges.push(e);
  };
  for (const p of model.paths) {
    if (p.status !== 'open' && p.status !== 'unknown') continue;
    const hops = p.hops.filter((h) => ids.has(h));
    for (let i = 0; i + 1 < hops.length; i++)
      add({
        from: hops[i] as string,
        to: hops[i + 1] as string,
        label: i + 2 === hops.length ? `${p.id} ${describePorts(p.ports)}` : p.id,
        style: p.status === 'open' ? 'open' : 'unknown',
      });
  }
  for (const e of model.edges) {
    if (!ids.has(e.from) || !ids.has(e.to)) continue;
    if (e.kind === 'private-link') add({ from: e.from, to: e.to, label: 'private link', style: 'private' });
    else if (e.kind === 'management')
      add({ from: e.from, to: e.to, label: 'RDP/SSH via Bastion', style: 'management' });
    else if (e.kind === 'origin' || e.kind === 'backend')
      add({ from: e.from, to: e.to, label: e.kind, style: 'private' });
  }
  // Data flows: an end that is not drawn (a subnet) is drawn as its VNet's nearest drawn member's box in
  // Mermaid (the subgraph) and left out of the SVG.
  const boundaryName = (id: string) => boundaryById.get(id)?.name ?? id;
  for (const f of model.flows) {
    const from = ids.has(f.from) ? f.from : used.has(`subnet:${f.from}`) ? `subnet:${f.from}` : undefined;
    const to = ids.has(f.to) ? f.to : used.has(`subnet:${f.to}`) ? `subnet:${f.to}` : undefined;
    if (!from || !to) continue;
    add({
      from,
      to,
      label: `${f.id} ${f.label}${f.crosses.length ? ` (crosses ${f.crosses.map(boundaryName).join(', ')})` : ''}`,
      style: f.crosses.length ? 'crossing' : 'flow',
    });
  }
  const populated = boundaries.filter(
    (b) => nodes.some((n) => n.zone === b.id) || boundaries.some((c) => c.parent === b.id),
  );
  return { nodes, edges, boundaries: populated, omitted: candidates.length - chosen.length };
}

// --- Mermaid ---------------------------------------------------------------------------------

/** Text inside a quoted Mermaid label: quotes and angle brackets as entities, no line breaks. */
function mermaidText(s: string): string {
  return s
    .replace(/[\r\n]+/g, ' ')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/[`|{}[\]]/g, ' ');
}

export function renderMermaid(d: Diagram): string {
  const short = new Map(d.nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = ['flowchart LR'];
  const line = (n: DiagramNode) => {
    const mark = n.breach ? `<br/>outside boundary: ${mermaidText(n.breach)}` : '';
    const exposure =
      n.exposure && n.exposure !== 'private'
        ? `<br/>${n.exposure === 'internet' ? 'internet-exposed' : n.exposure}`
        : '';
    const shape = n.layer === 0 ? ['((', '))'] : n.layer === 3 ? ['[(', ')]'] : ['[', ']'];
    return `${short.get(n.id)}${shape[0]}"${mermaidText(n.label)}<br/><i>${mermaidText(n.kind)}</i>${exposure}${mark}"${shape[1]}`;
  };
  // Trust boundaries as nested subgraphs; nodes outside every boundary at the top level.
  const boundaryKey = new Map(d.boundaries.map((b, i) => [b.id, `b${i}`]));
  const members = new Map<string, DiagramNode[]>();
  for (const n of d.nodes) {
    if (n.zone && boundaryKey.has(n.zone)) members.set(n.zone, [...(members.get(n.zone) ?? []), n]);
    else lines.push(`  ${line(n)}`);
  }
  const open = (b: DiagramBoundary, indent: string) => {
    lines.push(`${indent}subgraph ${boundaryKey.get(b.id)}["${mermaidText(b.label)}"]`);
    for (const n of members.get(b.id) ?? []) lines.push(`${indent}  ${line(n)}`);
    for (const child of d.boundaries) if (child.parent === b.id) open(child, `${indent}  `);
    lines.push(`${indent}end`);
  };
  for (const b of d.boundaries) if (!b.parent || !boundaryKey.has(b.parent)) open(b, '  ');
  const endpoint = (id: string) => short.get(id) ?? boundaryKey.get(id);
  const linkStyles: string[] = [];
  d.edges.forEach((e, i) => {
    const arrow =
      e.style === 'open'
        ? '==>'
        : e.style === 'unknown' || e.style === 'management' || e.style === 'flow' || e.style === 'crossing'
          ? '-.->'
          : '-->';
    lines.push(`  ${endpoint(e.from)} ${arrow}|"${mermaidText(e.label)}"| ${endpoint(e.to)}`);
    if (e.style === 'open') linkStyles.push(`  linkStyle ${i} stroke:#c62828,stroke-width:3px`);
    else if (e.style === 'unknown') linkStyles.push(`  linkStyle ${i} stroke:#ef6c00`);
    else if (e.style === 'crossing') linkStyles.push(`  linkStyle ${i} stroke:#2e7d32,stroke-width:2px`);
    else if (e.style === 'flow') linkStyles.push(`  linkStyle ${i} stroke:#2e7d32`);
  });
  appendAll(lines, linkStyles);
  lines.push('  classDef exposed fill:#ffebee,stroke:#c62828,stroke-width:2px');
  lines.push('  classDef unknown fill:#fff3e0,stroke:#ef6c00,stroke-dasharray:5 3');
  lines.push('  classDef breach stroke:#6a1b9a,stroke-width:4px');
  const exposed = d.nodes.filter((n) => n.exposure === 'internet').map((n) => short.get(n.id));
  const unknown = d.nodes.filter((n) => n.exposure === 'unknown').map((n) => short.get(n.id));
  const breach = d.nodes.filter((n) => n.breach).map((n) => short.get(n.id));
  if (exposed.length) lines.push(`  class ${exposed.join(',')} exposed`);
  if (unknown.length) lines.push(`  class ${unknown.join(',')} unknown`);
  if (breach.length) lines.push(`  class ${breach.join(',')} breach`);
  return lines.join('\n');
}

// --- SVG -------------------------------------------------------------------------------------

export function escapeXml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

const BOX_W = 210;
const BOX_H = 50;
const COL_GAP = 110;
const ROW_GAP = 26;
const MARGIN = 30;

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * Trust boundaries as dashed boxes behind the nodes: each around the nodes it holds (its own and
 * its nested boundaries'), an outer boundary with more room than the ones inside it, its name at
 * its top left. The layered layout keeps a layer per column, so a box spans the columns of its
 * members; its title lists them, since a box may also pass over a node of another column.
 */
function svgBoundaries(
  d: Diagram,
  pos: Map<string, { x: number; y: number }>,
  width: number,
  height: number,
): string[] {
  const byId = new Map(d.boundaries.map((b) => [b.id, b]));
  const depth = (b: DiagramBoundary): number => {
    let n = 0;
    for (
      let p = b.parent ? byId.get(b.parent) : undefined;
      p && n < 16;
      p = p.parent ? byId.get(p.parent) : undefined
    )
      n++;
    return n;
  };
  const within = (zone: string | undefined, b: DiagramBoundary): boolean => {
    for (
      let z = zone ? byId.get(zone) : undefined, n = 0;
      z && n < 16;
      z = z.parent ? byId.get(z.parent) : undefined, n++
    )
      if (z.id === b.id) return true;
    return false;
  };
  const deepest = Math.max(0, ...d.boundaries.map(depth));
  const out: string[] = [];
  for (const b of d.boundaries) {
    const members = d.nodes.filter((n) => within(n.zone, b) && pos.has(n.id));
    if (members.length === 0) continue;
    const pad = 8 + 10 * (deepest - depth(b));
    const xs = members.map((n) => pos.get(n.id)?.x ?? 0);
    const ys = members.map((n) => pos.get(n.id)?.y ?? 0);
    const x = Math.max(2, Math.min(...xs) - pad);
    const y = Math.max(2, Math.min(...ys) - pad - 12);
    const w = Math.min(width - 2, Math.max(...xs) + BOX_W + pad) - x;
    const h = Math.min(height - 2, Math.max(...ys) + BOX_H + pad) - y;
    const names = members.map((n) => n.label).join(', ');
    out.push(
      `<g><title>${escapeXml(`trust boundary ${b.label}: ${names}`)}</title>`,
      `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="8" fill="none" stroke="#546e7a" stroke-width="1" stroke-dasharray="8 4"/>`,
      `<text x="${x + 8}" y="${y + 12}" font-size="10" fill="#546e7a">${escapeXml(clip(b.label, 40))}</text>`,
      '</g>',
    );
  }
  return out;
}

/** A layered drawing: one column per layer, nodes stacked, straight edges between box sides. */
export function renderSvg(d: Diagram): string {
  const columns: DiagramNode[][] = [[], [], [], []];
  for (const n of d.nodes) columns[n.layer]?.push(n);
  const rows = Math.max(1, ...columns.map((c) => c.length));
  const width = MARGIN * 2 + 4 * BOX_W + 3 * COL_GAP;
  const height = MARGIN * 2 + rows * (BOX_H + ROW_GAP) + 40;
  const pos = new Map<string, { x: number; y: number }>();
  columns.forEach((col, c) => {
    const offset = ((rows - col.length) * (BOX_H + ROW_GAP)) / 2;
    col.forEach((n, r) => {
      pos.set(n.id, { x: MARGIN + c * (BOX_W + COL_GAP), y: MARGIN + 30 + offset + r * (BOX_H + ROW_GAP) });
    });
  });
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" style="max-width:100%;height:auto" font-family="sans-serif" font-size="12" role="img" aria-label="Architecture diagram">`,
    '<defs>',
    '<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker>',
    '<marker id="arrow-open" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#c62828"/></marker>',
    '</defs>',
  ];
  ['Internet', 'Entry points', 'Compute', 'Data stores'].forEach((title, c) => {
    out.push(
      `<text x="${MARGIN + c * (BOX_W + COL_GAP) + BOX_W / 2}" y="${MARGIN}" text-anchor="middle" font-weight="bold" fill="#333">${title}</text>`,
    );
  });
  out.push(...svgBoundaries(d, pos, width, height));
  // Labels are nudged down until they clear the ones already placed.
  const placed: { x: number; y: number; w: number }[] = [];
  const place = (x: number, y: number, w: number) => {
    let ty = y;
    while (placed.some((b) => Math.abs(b.y - ty) < 12 && Math.abs(b.x - x) < (b.w + w) / 2)) ty += 12;
    placed.push({ x, y: ty, w });
    return ty;
  };
  for (const e of d.edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (!a || !b) continue;
    const forward = b.x >= a.x;
    const sameColumn = a.x === b.x;
    const x1 = sameColumn || forward ? a.x + BOX_W : a.x;
    const x2 = sameColumn ? b.x + BOX_W : forward ? b.x : b.x + BOX_W;
    const y1 = a.y + BOX_H / 2;
    const y2 = b.y + BOX_H / 2;
    const stroke =
      e.style === 'open'
        ? '#c62828'
        : e.style === 'unknown'
          ? '#ef6c00'
          : e.style === 'management'
            ? '#1565c0'
            : e.style === 'flow' || e.style === 'crossing'
              ? '#2e7d32'
              : '#777';
    const dash =
      e.style === 'unknown' || e.style === 'management' || e.style === 'flow' || e.style === 'crossing'
        ? ' stroke-dasharray="6 4"'
        : e.style === 'private'
          ? ' stroke-dasharray="2 3"'
          : '';
    const widthAttr = e.style === 'open' ? 3 : e.style === 'crossing' ? 2 : 1.5;
    const marker = e.style === 'open' ? 'arrow-open' : 'arrow';
    // Cubic curves with horizontal tangents; an edge within a column bows out to the right.
    const bend = sameColumn ? 60 : Math.max(40, Math.abs(x2 - x1) / 2);
    const c1 = sameColumn ? x1 + bend : x1 + (forward ? bend : -bend);
    const c2 = sameColumn ? x2 + bend : x2 - (forward ? bend : -bend);
    out.push(
      `<path d="M${x1},${y1} C${c1},${y1} ${c2},${y2} ${x2},${y2}" fill="none" stroke="${stroke}" stroke-width="${widthAttr}"${dash} marker-end="url(#${marker})"><title>${escapeXml(e.label)}</title></path>`,
    );
    // Long edges carry their label near the start, clear of the columns they cross.
    const t = sameColumn ? 0.5 : Math.abs(b.x - a.x) > BOX_W + COL_GAP ? 0.15 : 0.5;
    const bez = (p0: number, p1: number, p2: number, p3: number) =>
      (1 - t) ** 3 * p0 + 3 * (1 - t) ** 2 * t * p1 + 3 * (1 - t) * t ** 2 * p2 + t ** 3 * p3;
    const text = clip(e.label, 28);
    const lx = bez(x1, c1, c2, x2);
    const ly = place(lx, bez(y1, y1, y2, y2) - 5, text.length * 5.5);
    out.push(
      `<text x="${lx.toFixed(1)}" y="${ly.toFixed(1)}" text-anchor="middle" font-size="10" fill="${stroke}" stroke="#fff" stroke-width="3" paint-order="stroke">${escapeXml(text)}</text>`,
    );
  }
  for (const n of d.nodes) {
    const p = pos.get(n.id);
    if (!p) continue;
    const fill =
      n.exposure === 'internet'
        ? '#ffebee'
        : n.exposure === 'unknown'
          ? '#fff3e0'
          : n.layer === 0
            ? '#e3f2fd'
            : '#fafafa';
    const stroke = n.breach
      ? '#6a1b9a'
      : n.exposure === 'internet'
        ? '#c62828'
        : n.exposure === 'unknown'
          ? '#ef6c00'
          : '#607d8b';
    const dash = n.exposure === 'unknown' ? ' stroke-dasharray="5 3"' : '';
    const sw = n.breach ? 4 : n.exposure === 'internet' ? 2 : 1;
    const rx = n.layer === 3 ? 14 : 4;
    const note = n.breach
      ? `outside boundary: ${n.breach}`
      : n.exposure === 'internet'
        ? 'internet-exposed'
        : n.exposure === 'unknown'
          ? 'exposure unknown'
          : n.vnet
            ? `VNet ${n.vnet}`
            : '';
    out.push(
      `<g><title>${escapeXml(`${n.label} (${n.kind})${note ? ` - ${note}` : ''}`)}</title>`,
      `<rect x="${p.x}" y="${p.y}" width="${BOX_W}" height="${BOX_H}" rx="${rx}" fill="${fill}" stroke="${stroke}" stroke-width="${sw}"${dash}/>`,
      `<text x="${p.x + 8}" y="${p.y + 17}" font-weight="bold">${escapeXml(clip(n.label, 30))}</text>`,
      `<text x="${p.x + 8}" y="${p.y + 31}" fill="#555">${escapeXml(clip(n.kind, 32))}</text>`,
      note
        ? `<text x="${p.x + 8}" y="${p.y + 44}" font-size="10" fill="${stroke}">${escapeXml(clip(note, 36))}</text>`
        : '',
      '</g>',
    );
  }
  const legendY = height - 14;
  out.push(
    `<text x="${MARGIN}" y="${legendY}" font-size="10" fill="#333">Red: open to the internet. Orange dashed: undecided (a value the template leaves unknown). Purple border: outside the boundary. Blue dashed: management via Bastion. Green dashed: data flow (thicker when it crosses a trust boundary). Grey dashed box: a trust boundary. Dotted: private link or backend.${d.omitted ? ` ${d.omitted} node(s) not drawn.` : ''}</text>`,
    '</svg>',
  );
  return out.filter((l) => l !== '').join('\n');
}
