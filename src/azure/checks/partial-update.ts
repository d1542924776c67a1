/**
 * Partial updates of existing resources. A template may declare only some properties of a
 * virtual machine (or scale set) that already exists, and ARM then updates it: a VM cannot be
 * created without a size, an image or an OS disk to attach, so a declaration with none of them
 * is an update. Properties fixed when the VM was created (security type, encryption at host,
 * identity as created) are then not in the template's evidence: checks say `unknown`.
 */
import type { CheckOutcome } from '../../core/model.ts';
import { Unknown } from '../expressions/value.ts';
import { type AzureResource, getPath } from '../resource.ts';
import { unknown } from './define.ts';

const VM = 'microsoft.compute/virtualmachines';
const VMSS = 'microsoft.compute/virtualmachinescalesets';

/**
 * Why the declaration updates an existing VM or scale set, or undefined when it can create one.
 * An unknown value in any of the creation properties counts as present (it may create).
 */
export function partialUpdateReason(r: AzureResource): string | undefined {
  const type = r.type.toLowerCase();
  if (type !== VM && type !== VMSS) return undefined;
  const base = type === VMSS ? 'properties.virtualMachineProfile' : 'properties';
  const size = type === VMSS ? getPath(r.body, 'sku') : getPath(r.body, `${base}.hardwareProfile`);
  const image = getPath(r.body, `${base}.storageProfile.imageReference`);
  const createOption = getPath(r.body, `${base}.storageProfile.osDisk.createOption`);
  if (size !== undefined || image !== undefined || createOption !== undefined) return undefined;
  const sizeName = type === VMSS ? 'sku' : 'hardwareProfile';
  return `the declaration has no ${sizeName}, image reference or osDisk.createOption, so it updates an existing ${type === VMSS ? 'scale set' : 'VM'} whose creation-time settings the template does not show`;
}

/**
 * The outcome for a creation-time property a partial update leaves unset: unknown with the reason,
 * or undefined when the property is set or the declaration can create the resource.
 */
export function creationTimeUnknown(r: AzureResource, path: string, what: string): CheckOutcome | undefined {
  if (getPath(r.body, path) !== undefined) return undefined;
  const reason = partialUpdateReason(r);
  if (reason === undefined) return undefined;
  return unknown(
    r,
    `cannot decide whether ${what}: ${path} is not set and ${reason}`,
    path,
    new Unknown(reason),
  );
}
