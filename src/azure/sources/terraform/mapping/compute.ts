/** Compute: Linux and Windows virtual machines (and scale sets), managed disks. */
import { Unknown, type Value } from '../../../expressions/value.ts';
import type { TerraformInstance } from '../instance.ts';
import {
  attr,
  block,
  type Draft,
  enabled,
  firstSet,
  idAttr,
  type MappingContext,
  standardDraft,
  type TypeMapping,
} from './draft.ts';

const VM = 'Microsoft.Compute/virtualMachines';
const VMSS = 'Microsoft.Compute/virtualMachineScaleSets';
const DISK = 'Microsoft.Compute/disks';
const API = '2024-03-01';

/**
 * The VM model shared by VMs (under `properties`) and scale sets (under
 * `properties.virtualMachineProfile`): OS profile, patching, security profile, image, NICs.
 */
function vmModel(d: Draft, ctx: MappingContext, linux: boolean, base: string): void {
  const i = d.from;
  const config = linux ? 'linuxConfiguration' : 'windowsConfiguration';
  d.copy(`${base}.osProfile.computerName`, ['computer_name', 'computer_name_prefix']);
  d.copy(`${base}.osProfile.adminUsername`, 'admin_username');
  // The provider always sends the OS configuration: it is what tells ARM the guest OS.
  d.set(
    `${base}.osProfile.${config}.provisionVMAgent`,
    attr(i, 'provision_vm_agent') ?? true,
    'provision_vm_agent',
  );
  if (linux)
    d.copy(
      `${base}.osProfile.linuxConfiguration.disablePasswordAuthentication`,
      'disable_password_authentication',
    );
  else {
    d.copy(`${base}.osProfile.windowsConfiguration.enableAutomaticUpdates`, [
      'automatic_updates_enabled',
      'enable_automatic_updates',
    ]);
  }
  d.copy(`${base}.osProfile.${config}.patchSettings.patchMode`, 'patch_mode');
  d.copy(`${base}.osProfile.${config}.patchSettings.assessmentMode`, 'patch_assessment_mode');
  d.copy(`${base}.securityProfile.encryptionAtHost`, 'encryption_at_host_enabled');
  const secureBoot = attr(i, 'secure_boot_enabled');
  const vtpm = attr(i, 'vtpm_enabled');
  d.copy(`${base}.securityProfile.uefiSettings.secureBootEnabled`, 'secure_boot_enabled');
  d.copy(`${base}.securityProfile.uefiSettings.vTpmEnabled`, 'vtpm_enabled');
  // The provider asks for Trusted Launch when either is on, a confidential VM when the OS disk says so.
  const confidential = firstSet(i, 'os_disk.0.security_encryption_type');
  if (confidential && typeof confidential.value === 'string') {
    d.set(`${base}.securityProfile.securityType`, 'ConfidentialVM', confidential.path);
  } else if (secureBoot === true || vtpm === true) {
    d.set(
      `${base}.securityProfile.securityType`,
      'TrustedLaunch',
      secureBoot === true ? 'secure_boot_enabled' : 'vtpm_enabled',
    );
  } else if (secureBoot instanceof Unknown || vtpm instanceof Unknown) {
    d.set(
      `${base}.securityProfile.securityType`,
      secureBoot instanceof Unknown ? secureBoot : (vtpm as Unknown),
      'secure_boot_enabled',
    );
  }
  d.copy(`${base}.storageProfile.imageReference.publisher`, 'source_image_reference.0.publisher');
  d.copy(`${base}.storageProfile.imageReference.offer`, 'source_image_reference.0.offer');
  d.copy(`${base}.storageProfile.imageReference.sku`, 'source_image_reference.0.sku');
  d.copy(`${base}.storageProfile.imageReference.version`, 'source_image_reference.0.version');
  d.copy(`${base}.storageProfile.imageReference.id`, 'source_image_id');
  d.set(`${base}.storageProfile.osDisk.osType`, linux ? 'Linux' : 'Windows');
  d.set(`${base}.storageProfile.osDisk.createOption`, 'FromImage', 'os_disk');
  d.copy(`${base}.storageProfile.osDisk.managedDisk.storageAccountType`, 'os_disk.0.storage_account_type');
  d.copy(`${base}.storageProfile.osDisk.caching`, 'os_disk.0.caching');
  void ctx;
}

function vmMapping(tfType: string, linux: boolean): TypeMapping {
  return {
    tfType,
    armType: VM,
    map(i, ctx) {
      const d = standardDraft(ctx, i, { type: VM, apiVersion: API });
      d.copy('properties.hardwareProfile.vmSize', 'size');
      d.copy('zones', 'zone', (v) => (typeof v === 'string' ? [v] : undefined));
      vmModel(d, ctx, linux, 'properties');
      const nics = attr(i, 'network_interface_ids');
      if (nics instanceof Unknown)
        d.set('properties.networkProfile.networkInterfaces', nics, 'network_interface_ids');
      else if (Array.isArray(nics)) {
        const refs = i.references?.get('network_interface_ids') ?? [];
        // Each id known after apply becomes the stand-in id of the NIC the configuration names.
        const ids: Value[] = nics.map((id, k) => {
          if (typeof id === 'string') return { id, properties: { primary: k === 0 } };
          const ref = refs[k];
          const nic = ref ? ctx.byReference(ref, i, NIC_TYPES) : undefined;
          const draft = nic ? ctx.draftsOf(nic)[0] : undefined;
          return { id: draft ? draft.id : id, properties: { primary: k === 0 } };
        });
        d.set('properties.networkProfile.networkInterfaces', ids, 'network_interface_ids');
      }
      return [d];
    },
  };
}

const NIC_TYPES = ['azurerm_network_interface'];

function vmssMapping(tfType: string, linux: boolean): TypeMapping {
  return {
    tfType,
    armType: VMSS,
    map(i, ctx) {
      const d = standardDraft(ctx, i, { type: VMSS, apiVersion: API });
      d.copy('sku.name', 'sku');
      d.copy('sku.capacity', 'instances');
      d.copy('zones', 'zones');
      d.copy('properties.upgradePolicy.mode', 'upgrade_mode');
      d.copy(
        'properties.upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade',
        'automatic_os_upgrade_policy.0.enable_automatic_os_upgrade',
      );
      vmModel(d, ctx, linux, 'properties.virtualMachineProfile');
      return [d];
    },
  };
}

function mapDisk(i: TerraformInstance, ctx: MappingContext): Draft[] {
  const d = standardDraft(ctx, i, { type: DISK, apiVersion: API });
  d.copy('sku.name', 'storage_account_type');
  d.copy('zones', 'zone', (v) => (typeof v === 'string' ? [v] : undefined));
  d.copy('properties.diskSizeGB', 'disk_size_gb');
  d.copy('properties.creationData.createOption', 'create_option');
  d.copy('properties.networkAccessPolicy', 'network_access_policy');
  d.copy('properties.publicNetworkAccess', 'public_network_access_enabled', enabled);
  d.set(
    'properties.diskAccessId',
    idAttr(ctx, i, 'disk_access_id', ['azurerm_disk_access']),
    'disk_access_id',
  );
  d.copy('properties.encryption.diskEncryptionSetId', 'disk_encryption_set_id');
  void block;
  return [d];
}

export const computeMappings: TypeMapping[] = [
  vmMapping('azurerm_linux_virtual_machine', true),
  vmMapping('azurerm_windows_virtual_machine', false),
  vmssMapping('azurerm_linux_virtual_machine_scale_set', true),
  vmssMapping('azurerm_windows_virtual_machine_scale_set', false),
  { tfType: 'azurerm_managed_disk', armType: DISK, map: mapDisk },
];
