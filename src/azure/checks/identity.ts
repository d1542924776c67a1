import { trimTrailing } from '../../core/trim-char.ts';
import { Unknown, type Value } from '../expressions/value.ts';
import { type AzureResource, getPath } from '../resource.ts';
import { type AzureCheck, defineCheck, fail, pass, sameText, unknown } from './define.ts';
import { creationTimeUnknown } from './partial-update.ts';
import { credentialGate } from './workload-credentials.ts';

const ROLE_ASSIGNMENT = 'Microsoft.Authorization/roleAssignments';
const ROLE_DEFINITION = 'Microsoft.Authorization/roleDefinitions';

/** Built-in roles that confer control of a scope, or of who may access it. */
const PRIVILEGED_ROLES: Record<string, string> = {
  '8e3af657-a8ff-443c-a75c-2fe8c4bcb635': 'Owner',
  'b24988ac-6180-42a0-ab88-20f7382dd24c': 'Contributor',
  '18d7d88d-d35e-4fb5-a5c3-7773c4a72d9d': 'User Access Administrator',
  'f58310d9-a9f6-439a-9e8d-f62e7b41a168': 'Role Based Access Control Administrator',
};

/** Compute-like resource types that can run with a managed identity instead of stored credentials. */
const IDENTITY_CAPABLE = [
  'Microsoft.Web/sites',
  'Microsoft.ContainerService/managedClusters',
  'Microsoft.Compute/virtualMachines',
  'Microsoft.DataFactory/factories',
  'Microsoft.Logic/workflows',
];

const GUID = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\s*$/i;

/**
 * Whether a role assignment `scope` is broad: the tenant root, a management group, a
 * subscription or a resource group. Anything else names a resource, either as a full id or in
 * the relative `Microsoft.Storage/storageAccounts/<name>` form templates use.
 */
function isBroadScope(scope: string): boolean {
  const s = trimTrailing(scope.trim(), '/');
  if (s === '') return true;
  return (
    /^\/providers\/microsoft\.management\/managementgroups\/[^/]+$/i.test(s) ||
    /^\/subscriptions\/[^/]+(\/resourcegroups\/[^/]+)?$/i.test(s)
  );
}

function describe(v: Value): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function unknownAt(r: AzureResource, what: string, path: string, v: Unknown) {
  return unknown(r, `cannot decide whether ${what}: ${path} is unknown (${v.reason})`, path, v);
}

export const checks: AzureCheck[] = [
  defineCheck({
    id: 'AZ-ID-001',
    title: 'Compute resource uses a managed identity',
    severity: 'medium',
    rationale:
      'Workloads without a managed identity reach other Azure services with secrets, keys or certificates kept ' +
      'in configuration, which leak, are rarely rotated and are shared between deployments. A managed identity ' +
      'gives the workload credentials that Azure issues and rotates, and that can be granted least privilege. ' +
      'ISM-1685 asks that service account credentials are long, unique, unpredictable and managed; a workload that holds no credential has none to manage. ' +
      'So for VMs, scale sets, web apps and AKS clusters the check applies only where the template shows the workload using a credential to reach other Azure resources (a key, secret, SAS, connection string or Key Vault reference in its settings, a key read with listKeys(), an AKS service principal secret, a VM extension given a storage key), and is not-applicable otherwise (docs/calibration.md).',
    remediation:
      "Set `identity.type` to `'SystemAssigned'`, `'UserAssigned'` or `'SystemAssigned, UserAssigned'`.",
    references: [
      'https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/overview',
      'https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/managed-identities-status',
    ],
    resourceTypes: IDENTITY_CAPABLE,
    evaluate: (r, context) => {
      const path = 'identity.type';
      const type = getPath(r.body, path);
      if (type instanceof Unknown) return unknownAt(r, 'a managed identity is assigned', path, type);
      if (typeof type === 'string' && /systemassigned|userassigned/i.test(type)) {
        return pass(r, `a managed identity is assigned (${type})`, path, { path, value: type });
      }
      // AKS clusters created with the `msi` service principal placeholder use a system-assigned identity.
      const clientId = getPath(r.body, 'properties.servicePrincipalProfile.clientId');
      if (type === undefined && typeof clientId === 'string' && sameText(clientId, 'msi')) {
        return pass(
          r,
          'the cluster uses a managed identity (servicePrincipalProfile.clientId = msi)',
          'properties.servicePrincipalProfile.clientId',
          {
            path: 'properties.servicePrincipalProfile.clientId',
            value: clientId,
          },
        );
      }
      const gate = credentialGate(r, context);
      if (gate !== undefined && !Array.isArray(gate)) return gate;
      const update = creationTimeUnknown(r, 'identity', 'a managed identity is assigned');
      if (update) return update;
      const why = Array.isArray(gate) ? `, yet ${gate.map((u) => u.what).join('; ')}` : '';
      return fail(
        r,
        `no managed identity is assigned (${path} = ${type === undefined ? 'not set' : describe(type)})${why}`,
        path,
        {
          path,
          value: type ?? null,
        },
      );
    },
  }),
  defineCheck({
    id: 'AZ-ID-002',
    title:
      'Owner, Contributor and access-administration roles are not assigned at subscription or resource group scope',
    severity: 'high',
    rationale:
      'Owner, Contributor, User Access Administrator and RBAC Administrator assigned at a subscription, resource ' +
      'group or management group give standing control of everything in it; the access-administration roles ' +
      'also let the holder grant themselves more. A compromised principal with such a role compromises the whole ' +
      'scope. Privileges should be narrow, assigned to specific resources or through just-in-time elevation.',
    remediation:
      'Assign a narrower built-in or custom role, scope the assignment to the specific resource (`scope` property), ' +
      'or grant the privileged role through Privileged Identity Management (eligible, time-bound) instead of the template.',
    references: [
      'https://learn.microsoft.com/azure/templates/microsoft.authorization/roleassignments',
      'https://learn.microsoft.com/azure/role-based-access-control/best-practices',
      'https://learn.microsoft.com/azure/role-based-access-control/built-in-roles',
    ],
    resourceTypes: [ROLE_ASSIGNMENT],
    evaluate: (r) => {
      const rolePath = 'properties.roleDefinitionId';
      const role = getPath(r.body, rolePath);
      if (role instanceof Unknown) return unknownAt(r, 'the assigned role is privileged', rolePath, role);
      const guid = typeof role === 'string' ? GUID.exec(role)?.[1]?.toLowerCase() : undefined;
      const roleName = guid === undefined ? undefined : PRIVILEGED_ROLES[guid];
      if (roleName === undefined) {
        return pass(
          r,
          `the assigned role ${describe(role ?? null)} is not a broad administrative role`,
          rolePath,
          {
            path: rolePath,
            value: role ?? null,
          },
        );
      }
      // The scope is the top-level `scope` of the extension resource (or `properties.scope` in
      // old API versions); without one the assignment applies to the deployment scope itself.
      const scopePath = getPath(r.body, 'scope') !== undefined ? 'scope' : 'properties.scope';
      const scope = getPath(r.body, scopePath);
      if (scope instanceof Unknown)
        return unknownAt(r, `the ${roleName} assignment is broad`, scopePath, scope);
      const evidence = { role: roleName, roleDefinitionId: role ?? null, scope: scope ?? null };
      if (typeof scope === 'string' && !isBroadScope(scope)) {
        return pass(
          r,
          `${roleName} is assigned on a single resource (${scope}), not a broad scope`,
          scopePath,
          evidence,
        );
      }
      const where =
        typeof scope === 'string' && scope.trim() !== ''
          ? scope
          : 'the deployment scope (resource group or subscription)';
      return fail(r, `${roleName} is assigned at ${where}`, rolePath, evidence);
    },
  }),
  defineCheck({
    id: 'AZ-ID-003',
    title: "Custom role definitions do not grant all actions ('*')",
    severity: 'high',
    rationale:
      "A custom role with '*' in its actions or data actions grants every current and future operation, " +
      'making it equivalent to Owner or worse and defeating the purpose of a custom role. Custom roles ' +
      'should list only the operations the duty requires.',
    remediation:
      "Replace '*' in `properties.permissions[].actions` and `dataActions` with the specific operations needed " +
      "(e.g. 'Microsoft.Storage/storageAccounts/read').",
    references: [
      'https://learn.microsoft.com/azure/templates/microsoft.authorization/roledefinitions',
      'https://learn.microsoft.com/azure/role-based-access-control/custom-roles',
    ],
    resourceTypes: [ROLE_DEFINITION],
    evaluate: (r) => {
      const path = 'properties.permissions';
      const permissions = getPath(r.body, path);
      if (permissions instanceof Unknown) return unknownAt(r, "the role grants '*'", path, permissions);
      const list = Array.isArray(permissions) ? permissions : [];
      let undecided: { path: string; value: Unknown } | undefined;
      for (let i = 0; i < list.length; i++) {
        for (const field of ['actions', 'dataActions']) {
          const at = `${path}[${i}].${field}`;
          const actions = getPath(list[i], field);
          if (actions instanceof Unknown) {
            undecided ??= { path: at, value: actions };
            continue;
          }
          for (const action of Array.isArray(actions) ? actions : []) {
            if (action instanceof Unknown) undecided ??= { path: at, value: action };
            else if (action === '*')
              return fail(r, `the custom role grants every operation ('*' in ${field})`, at, { path: at });
          }
        }
      }
      if (undecided) return unknownAt(r, "the role grants '*'", undecided.path, undecided.value);
      return pass(r, "the custom role lists specific operations (no '*')", path, { path });
    },
  }),
];
