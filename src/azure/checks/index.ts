import { builtinMappings, withMappings } from '../../controls/mappings.ts';
import { checks as residency } from '../residency/checks.ts';
import { checks as aks } from './aks.ts';
import { checks as apim } from './apim.ts';
import { checks as appservice } from './appservice.ts';
import { checks as automation } from './automation.ts';
import { checks as backup } from './backup.ts';
import { checks as classic } from './classic.ts';
import { checks as compute } from './compute.ts';
import { checks as containerregistry } from './containerregistry.ts';
import { checks as cosmos } from './cosmos.ts';
import { checks as databases } from './databases.ts';
import type { AzureCheck } from './define.ts';
import { checks as gateway } from './gateway.ts';
import { checks as identity } from './identity.ts';
import { checks as keyvault } from './keyvault.ts';
import { checks as messaging } from './messaging.ts';
import { checks as monitoring } from './monitoring.ts';
import { checks as network } from './network.ts';
import { checks as redis } from './redis.ts';
import { checks as servicefabric } from './servicefabric.ts';
import { checks as sql } from './sql.ts';
import { checks as storage } from './storage.ts';

/**
 * Every built-in Azure check, in a stable order (by file, then as declared), with the control
 * ids of the framework mapping files (src/controls/mappings/) added to its metadata.
 */
export const azureChecks: AzureCheck[] = withMappings(declaredAzureChecks(), builtinMappings());

/** The checks as their files declare them, before the mapping files add control ids. */
export function declaredAzureChecks(): AzureCheck[] {
  return [
    ...storage,
    ...keyvault,
    ...sql,
    ...appservice,
    ...compute,
    ...network,
    ...gateway,
    ...aks,
    ...cosmos,
    ...containerregistry,
    ...databases,
    ...redis,
    ...messaging,
    ...apim,
    ...monitoring,
    ...backup,
    ...identity,
    ...automation,
    ...servicefabric,
    ...classic,
    // Run only with --boundary (scanAzure leaves them out otherwise).
    ...residency,
  ];
}
