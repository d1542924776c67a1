/**
 * What the internet gets through the NSG layers in front of a NIC: the subnet NSG and the NIC
 * NSG intersected, with the public IP or load-balancer SKU deciding when neither applies; and
 * a note for each NSG that opens ports to the internet where no traced path uses it.
 */

import { Unknown, type Value } from '../expressions/value.ts';
import type { AzureResource } from '../resource.ts';
import type { IpConfig, Nic } from './network.ts';
import {
  allPortsUndecided,
  describePorts,
  internetAllowed,
  intersect,
  portsOf,
  type Segment,
} from './nsg.ts';
import { leaf, type Ref } from './refs.ts';
import type { GraphState } from './state.ts';

/** Internet-open segments through one NSG reference; undefined when there is no NSG. */
function segmentsFor(g: GraphState, ref: Ref | undefined, owner: AzureResource): Segment[] | undefined {
  if (!ref) return undefined;
  if ('unknown' in ref)
    return [
      allPortsUndecided(
        `the network security group is unknown (${ref.unknown.reason})`,
        ref.unknown.location ?? owner.locate(ref.at),
      ),
    ];
  const cached = g.nsgSegments.get(ref.id);
  if (cached) return cached;
  const nsg = g.nsgs.get(ref.id);
  const segments: Segment[] = nsg
    ? internetAllowed(nsg)
    : [
        allPortsUndecided(
          `network security group ${leaf(ref.id)} is not in this scan, so its rules cannot be read`,
          owner.locate(ref.at),
        ),
      ];
  g.nsgSegments.set(ref.id, segments);
  return segments;
}

/**
 * Ports the internet reaches through the subnet NSG and the NIC NSG in turn. With neither,
 * `openByDefault` decides: a Basic public IP or load balancer is open, Standard is closed.
 */
export function throughNsgs(
  g: GraphState,
  nic: Nic,
  cfg: IpConfig,
  openByDefault: boolean | Unknown,
  skuWhat: string,
): { segments: Segment[]; closedReason?: string } {
  const subnet = cfg.subnet && 'id' in cfg.subnet ? g.subnets.get(cfg.subnet.id) : undefined;
  const layers: Segment[][] = [];
  if (cfg.subnet && 'unknown' in cfg.subnet)
    layers.push([
      allPortsUndecided(
        `the subnet is unknown (${cfg.subnet.unknown.reason}), so its NSG cannot be read`,
        cfg.subnet.unknown.location ?? nic.resource.locate(cfg.subnet.at),
      ),
    ]);
  else if (cfg.subnet && !subnet)
    layers.push([
      allPortsUndecided(
        `subnet ${leaf(cfg.subnet.id)} is not in this scan, so its NSG cannot be read`,
        nic.resource.locate(cfg.subnet.at),
      ),
    ]);
  const subnetSegments = subnet ? segmentsFor(g, subnet.nsg, subnet.resource) : undefined;
  if (subnetSegments) layers.push(subnetSegments);
  const nicSegments = segmentsFor(g, nic.nsg, nic.resource);
  if (nicSegments) layers.push(nicSegments);
  if (layers.length === 0) {
    if (openByDefault instanceof Unknown)
      return {
        segments: [
          allPortsUndecided(
            `no NSG applies and the ${skuWhat} SKU is unknown (${openByDefault.reason})`,
            openByDefault.location,
          ),
        ],
      };
    if (openByDefault)
      return {
        segments: [
          {
            lo: 0,
            hi: 65535,
            status: 'open',
            rules: [],
            reason: `no NSG on the NIC or its subnet, and a Basic ${skuWhat} is open to inbound traffic by default`,
          },
        ],
      };
    return {
      segments: [],
      closedReason: `no NSG applies, and a Standard ${skuWhat} is closed to inbound traffic unless an NSG allows it`,
    };
  }
  let segments = layers[0] as Segment[];
  for (const layer of layers.slice(1)) segments = intersect(segments, layer);
  return segments.length > 0
    ? { segments }
    : { segments, closedReason: 'no NSG rule allows inbound traffic from the internet' };
}

export function skuOpen(sku: Value | undefined): boolean | Unknown {
  if (sku instanceof Unknown) return sku;
  // Basic is the default SKU when none is given.
  return !(typeof sku === 'string' && /^standard/i.test(sku));
}

/** NSGs that open ports to the internet where no public entry point is traced: worth saying. */
export function noteLatentNsgs(g: GraphState): void {
  for (const d of g.drafts)
    for (const s of d.segments) for (const rule of s.rules) g.usedNsgs.add(rule.name.split('/')[0] as string);
  for (const [id, nsg] of g.nsgs) {
    const open = internetAllowed(nsg).filter((s) => s.status === 'open');
    if (open.length === 0 || g.usedNsgs.has(nsg.name)) continue;
    const subnets = [...g.subnets.values()]
      .filter((s) => s.nsg && 'id' in s.nsg && s.nsg.id === id)
      .map((s) => leaf(s.id));
    const rules = [...new Set(open.flatMap((s) => s.rules.map((r) => r.name)))];
    g.notes.push(
      `NSG ${nsg.name} allows ${describePorts(portsOf(open))} from the internet (${rules.join(', ')})${subnets.length ? ` on subnet(s) ${subnets.join(', ')}` : ''}; no public entry point to them is declared, so no path is traced`,
    );
  }
}
