/**
 * Public endpoints of platform services (storage, databases, Key Vault, App Service, AKS...) as
 * path verdicts. The decision itself (open to everyone, limited to some networks, closed, or
 * decided by a value the template leaves unknown) is made once, in facts/public-endpoint.ts,
 * which the checks read too; this file only turns that fact into the TRA's path terms.
 */
import type { SourceLocation } from '../../core/model.ts';
import {
  type ChildLookup,
  type EndpointService,
  type PublicEndpointFact,
  publicEndpointFact,
} from '../facts/public-endpoint.ts';
import type { AzureResource } from '../resource.ts';
import type { NodeKind, PathKind, PathRule, PathStatus } from './model.ts';

export type { ChildLookup } from '../facts/public-endpoint.ts';

export interface EndpointVerdict {
  kind: PathKind;
  status: PathStatus;
  ports: [number, number][];
  reason: string;
  rules: PathRule[];
  unknownFrom?: SourceLocation;
}

/** Node kinds with a public endpoint, by the service the facts module decides. */
const SERVICE_OF: Partial<Record<NodeKind, EndpointService>> = {
  storage: 'storage',
  'key-vault': 'key-vault',
  'container-registry': 'container-registry',
  'cosmos-db': 'cosmos-db',
  'event-hubs': 'event-hubs',
  'service-bus': 'service-bus',
  'log-analytics': 'log-analytics',
  'sql-server': 'sql-server',
  postgresql: 'postgresql',
  mysql: 'mysql',
  redis: 'redis',
  'app-service': 'app-service',
  kubernetes: 'kubernetes',
  'container-app': 'container-app',
  'api-management': 'api-management',
};

/** The fact's exposure in path terms: `limited` is the TRA's `restricted`. */
export function pathStatusOf(fact: PublicEndpointFact): PathStatus {
  return fact.exposure === 'limited' ? 'restricted' : fact.exposure;
}

/** The public endpoint of a platform service, or undefined for kinds without one. */
export function publicEndpoint(
  r: AzureResource,
  kind: NodeKind,
  children: ChildLookup,
): EndpointVerdict | undefined {
  const service = SERVICE_OF[kind];
  if (!service) return undefined;
  const fact = publicEndpointFact(r, service, children);
  const unknownFrom =
    fact.exposure === 'unknown'
      ? (fact.unknown?.location ?? fact.properties[0]?.location ?? r.location)
      : undefined;
  return {
    kind: service === 'kubernetes' ? 'api-server' : 'public-endpoint',
    status: pathStatusOf(fact),
    ports: fact.ports,
    reason: fact.reason,
    rules: fact.properties.map(({ name, detail, location }) => ({ name, detail, location })),
    ...(unknownFrom ? { unknownFrom } : {}),
  };
}
