/**
 * Patterns of templates compiled from today's Bicep (Azure Verified Modules style): user-defined
 * types in `definitions` (one imported from another Bicep file), parameters typed by `$ref`,
 * nullable parameters whose copy loops run 0 times when unset, `null` passed to a nested
 * deployment (the default applies) and resource types written with a trailing slash.
 */
import { type JsonObject, type Ref, Template, x } from './template.ts';

const NSG = 'Microsoft.Network/networkSecurityGroups';
const DEPLOYMENTS = 'Microsoft.Resources/deployments';

/** The `definitions` a Bicep module with typed parameters compiles to. */
function declareTypes(t: Template): void {
  const owner = t.scopeOwner;
  owner.definitions.ruleType ??= {
    type: 'object',
    properties: {
      name: { type: 'string', maxLength: 80 },
      priority: { type: 'int', minValue: 100, maxValue: 4096 },
      access: { type: 'string', allowedValues: ['Allow', 'Deny'] },
      destinationPortRange: { type: 'string', nullable: true },
    },
    metadata: { '__bicep_export!': true },
  };
  owner.definitions.tagsType ??= {
    type: 'object',
    additionalProperties: { type: 'string' },
    nullable: true,
    metadata: {
      '__bicep_imported_from!': { sourceTemplate: 'br/public:avm/utl/types/avm-common-types:0.5.1' },
    },
  };
}

/**
 * An NSG whose security rules come from a typed, nullable array parameter through a copy loop
 * over `length(coalesce(...))`, a second NSG loop over an unset nullable parameter (0 instances
 * in ARM), and tags from an imported nullable type.
 */
export function typedNsg(t: Template): Ref {
  const r = t.rng;
  declareTypes(t);
  const rules = t.param(
    'securityRules',
    {
      type: 'array',
      items: { $ref: '#/definitions/ruleType' },
      nullable: true,
    },
    {
      sample: [
        { name: 'deny-all-inbound', priority: 4096, access: 'Deny', destinationPortRange: '*' },
        { name: 'allow-https', priority: 200, access: 'Allow', destinationPortRange: '443' },
      ],
    },
  );
  const tags = t.param('tags', { $ref: '#/definitions/tagsType' }, { sample: { workload: 'bench' } });
  const extra = t.param('extraNetworkSecurityGroups', { type: 'array', nullable: true });
  const decl: JsonObject = {
    type: NSG,
    apiVersion: t.api(NSG, ['2023-09-01', '2024-01-01']),
    name: t.literal('nsg-typed'),
    location: t.location(),
    tags: x(t.p(tags)),
    properties: {
      copy: [
        {
          name: 'securityRules',
          count: x(`length(coalesce(${t.p(rules)}, createArray()))`),
          input: {
            name: x(`coalesce(${t.p(rules)}, createArray())[copyIndex('securityRules')].name`),
            properties: {
              priority: x(`coalesce(${t.p(rules)}, createArray())[copyIndex('securityRules')].priority`),
              access: x(`coalesce(${t.p(rules)}, createArray())[copyIndex('securityRules')].access`),
              direction: 'Inbound',
              protocol: 'Tcp',
              sourceAddressPrefix: 'VirtualNetwork',
              sourcePortRange: '*',
              destinationAddressPrefix: '*',
              destinationPortRange: x(
                `coalesce(tryGet(coalesce(${t.p(rules)}, createArray())[copyIndex('securityRules')], 'destinationPortRange'), '443')`,
              ),
            },
          },
        },
      ],
    },
  };
  const ref = t.add('nsgTyped', decl, [`'${decl.name}'`]);
  const loop = t.symbol('extraNsgs');
  t.add(
    'extraNsgs',
    {
      type: NSG,
      apiVersion: t.api(NSG, ['2023-09-01', '2024-01-01']),
      name: x(`coalesce(${t.p(extra)}, createArray())[copyIndex()]`),
      location: t.location(),
      copy: { name: loop, count: x(`length(coalesce(${t.p(extra)}, createArray()))`) },
      properties: {},
    },
    [x(`coalesce(${t.p(extra)}, createArray())[copyIndex()]`).slice(1, -1)],
    loop,
  );
  if (r.chance(0.5)) {
    // Bicep writes resourceId() with the type's trailing slash in some hand-edited modules.
    t.outputs[t.symbol('nsgId')] = { type: 'string', value: x(`resourceId('${NSG}/', '${decl.name}')`) };
  }
  return ref;
}

/** A nested deployment that passes `null` for a parameter, so the nested template's default applies. */
export function nullToNested(t: Template): Ref {
  const child = new Template(t.rng, { ...t.style, symbolic: false }, t.stats, undefined, t.depth + 1);
  const sku = child.param('skuName', { type: 'string', defaultValue: 'Standard_ZRS' });
  const type = 'Microsoft.Storage/storageAccounts';
  child.add(
    'account',
    {
      type,
      apiVersion: '2023-05-01',
      name: child.literal(`stnull${t.rng.int(100, 999)}`),
      location: 'australiaeast',
      sku: { name: x(child.p(sku)) },
      kind: 'StorageV2',
      properties: { supportsHttpsTrafficOnly: true, minimumTlsVersion: 'TLS1_2' },
    },
    ["'account'"],
  );
  t.stats.nestedInner++;
  const name = t.literal('nullDefaults');
  return t.add(
    name,
    {
      type: DEPLOYMENTS,
      apiVersion: t.api(DEPLOYMENTS, ['2022-09-01']),
      name,
      properties: {
        mode: 'Incremental',
        expressionEvaluationOptions: { scope: 'inner' },
        parameters: { skuName: { value: null } },
        template: child.toJson(),
      },
    },
    [`'${name}'`],
  );
}
