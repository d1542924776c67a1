/**
 * Public-network checks read the one exposure fact (facts/public-endpoint.ts) the TRA reads, and
 * say which exposures their control accepts: `closed` always passes, `open` always fails, and a
 * `limited` endpoint passes only when the control accepts the mechanism that limits it (some
 * controls require public access to be off, so a firewall is not enough). An unknown fact stays
 * unknown while an accepted exposure is still possible, and fails when none is. The mapping is
 * documented in docs/tra.md ("Public endpoints: one fact, two readers").
 */
import type { CheckOutcome } from '../../core/model.ts';
import {
  type EndpointBasis,
  type EndpointService,
  type PublicEndpointFact,
  publicEndpointFact,
} from '../facts/public-endpoint.ts';
import type { AzureCheckContext, AzureResource } from '../resource.ts';
import { fail, pass, unknown } from './define.ts';
import { childrenOf } from './storage.ts';

export interface EndpointControl {
  /** The resource as the message names it, e.g. `the storage account`. */
  what: string;
  /** The mechanisms of a `limited` endpoint the control accepts: `all`, or a list (empty: only closed passes). */
  acceptLimited: 'all' | readonly EndpointBasis[];
}

/** The fact for a resource as the checks see its children (ResourceIndex, same template tree). */
export function endpointFactOf(
  r: AzureResource,
  context: AzureCheckContext,
  service: EndpointService,
): PublicEndpointFact {
  return publicEndpointFact(r, service, (parent, type) => childrenOf(context, parent, type));
}

/** Whether the control accepts a decided fact. */
export function acceptsEndpoint(fact: PublicEndpointFact, control: EndpointControl): boolean {
  if (fact.exposure === 'closed') return true;
  if (fact.exposure !== 'limited') return false;
  return control.acceptLimited === 'all' || control.acceptLimited.includes(fact.basis);
}

/** The check outcome of a public-endpoint fact under a control's acceptance. */
export function endpointOutcome(
  r: AzureResource,
  fact: PublicEndpointFact,
  control: EndpointControl,
): CheckOutcome {
  const evidence = {
    exposure: fact.exposure,
    basis: fact.basis,
    properties: fact.properties.map((p) => p.path),
  };
  if (fact.exposure === 'unknown') {
    const possible = fact.possible ?? ['open', 'limited', 'closed'];
    const limitedPasses =
      control.acceptLimited === 'all' ||
      (fact.limitedBy !== undefined && control.acceptLimited.includes(fact.limitedBy));
    const couldPass = possible.includes('closed') || (possible.includes('limited') && limitedPasses);
    if (couldPass)
      return unknown(
        r,
        `cannot decide whether ${control.what} is reachable from any network: ${fact.reason}`,
        fact.at,
        fact.unknown,
      );
    return fail(
      r,
      `${control.what} is reachable from public networks whichever way the unknown value falls: ${fact.reason}`,
      fact.at,
      evidence,
    );
  }
  if (acceptsEndpoint(fact, control)) {
    const how = fact.exposure === 'closed' ? 'its public endpoint is closed' : 'public access is limited';
    return pass(r, `${control.what}: ${how} (${fact.reason})`, fact.at, evidence);
  }
  if (fact.exposure === 'limited')
    return fail(
      r,
      `${control.what} is reachable from public networks: ${fact.reason}, and this control requires public access to be off`,
      fact.at,
      evidence,
    );
  return fail(r, `${control.what} accepts connections from any network: ${fact.reason}`, fact.at, evidence);
}

/** A check body: the fact of `service` under `control`. */
export function endpointCheck(
  service: EndpointService,
  control: EndpointControl,
): (r: AzureResource, context: AzureCheckContext) => CheckOutcome {
  return (r, context) => endpointOutcome(r, endpointFactOf(r, context, service), control);
}
