import type { CheckOutcome } from '../../core/model.ts';
import { Unknown, type Value } from '../expressions/value.ts';
import { type AzureResource, getPath } from '../resource.ts';
import {
  type AzureCheck,
  checkProperty,
  defineCheck,
  notApplicable,
  pass,
  sameText,
  unknown,
} from './define.ts';
import { endpointCheck } from './endpoint-outcome.ts';
import { creationTimeUnknown } from './partial-update.ts';

const VM = 'Microsoft.Compute/virtualMachines';
const VMSS = 'Microsoft.Compute/virtualMachineScaleSets';
const DISK = 'Microsoft.Compute/disks';
const VM_REF = 'https://learn.microsoft.com/en-us/azure/templates/microsoft.compute/virtualmachines';
const VMSS_REF =
  'https://learn.microsoft.com/en-us/azure/templates/microsoft.compute/virtualmachinescalesets';

/** Where the VM model lives: a VM's `properties`, a scale set's `properties.virtualMachineProfile`. */
function modelBase(r: AzureResource): string {
  return r.type.toLowerCase() === VMSS.toLowerCase() ? 'properties.virtualMachineProfile' : 'properties';
}

type Os = 'windows' | 'linux' | undefined;

const LINUX_PUBLISHERS =
  /canonical|redhat|debian|suse|openlogic|oracle|almalinux|rockylinux|resf|kinvolk|cblmariner|azure-?linux|centos|ubuntu/i;

/** Decides the guest OS from the OS profile, the OS disk type or the marketplace image publisher. */
function guestOs(r: AzureResource): Os | Unknown {
  const base = modelBase(r);
  if (getPath(r.body, `${base}.osProfile.windowsConfiguration`) !== undefined) return 'windows';
  if (getPath(r.body, `${base}.osProfile.linuxConfiguration`) !== undefined) return 'linux';
  const osType = getPath(r.body, `${base}.storageProfile.osDisk.osType`);
  if (typeof osType === 'string') return sameText(osType, 'Windows') ? 'windows' : 'linux';
  const publisher = getPath(r.body, `${base}.storageProfile.imageReference.publisher`);
  if (publisher instanceof Unknown) return publisher;
  if (typeof publisher === 'string') {
    if (/^microsoftwindows/i.test(publisher)) return 'windows';
    if (LINUX_PUBLISHERS.test(publisher)) return 'linux';
  }
  return undefined;
}

/** The OS profile, or the outcome saying why there is none to read. */
function osProfileOutcome(r: AzureResource): CheckOutcome | undefined {
  const path = `${modelBase(r)}.osProfile`;
  const profile = getPath(r.body, path);
  if (profile instanceof Unknown) {
    return unknown(r, `cannot read the OS profile: ${path} is unknown (${profile.reason})`, path, profile);
  }
  if (profile === undefined) {
    return notApplicable(r, 'no osProfile: the VM boots from an existing (specialised) disk');
  }
  return undefined;
}

export const checks: AzureCheck[] = [
  defineCheck({
    id: 'AZ-VM-001',
    title: 'Linux virtual machines disable password authentication',
    severity: 'high',
    rationale:
      'With password authentication enabled, SSH accepts passwords that can be guessed or sprayed from anywhere the port is reachable. Requiring SSH public keys removes that attack and is what the ISM asks for SSH connections.',
    remediation:
      'Set `osProfile.linuxConfiguration.disablePasswordAuthentication` to `true` and provide keys in `osProfile.linuxConfiguration.ssh.publicKeys` (remove `adminPassword`).',
    references: [
      'https://learn.microsoft.com/en-us/azure/virtual-machines/linux/create-ssh-keys-detailed',
      VM_REF,
      VMSS_REF,
      'https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/linux_virtual_machine',
    ],
    resourceTypes: [VM, VMSS],
    evaluate: (r) => {
      const noProfile = osProfileOutcome(r);
      if (noProfile) return noProfile;
      const os = guestOs(r);
      if (os instanceof Unknown) {
        return unknown(r, `cannot decide the guest OS: the image is unknown (${os.reason})`, undefined, os);
      }
      if (os === 'windows') return notApplicable(r, 'Windows guest');
      if (os === undefined) return notApplicable(r, 'the guest OS cannot be told from the template');
      return checkProperty(r, {
        path: `${modelBase(r)}.osProfile.linuxConfiguration.disablePasswordAuthentication`,
        test: (v) => v === true,
        whenMissing: 'fail',
        expectation: 'SSH password authentication is disabled',
      });
    },
  }),

  defineCheck({
    id: 'AZ-VM-002',
    title: 'Virtual machines are patched automatically by the platform',
    severity: 'medium',
    rationale:
      'Operating system vulnerabilities are exploited within days of disclosure. With patch mode AutomaticByPlatform, Azure assesses and installs critical and security updates in a safe, orchestrated way and reports compliance, giving evidence that patches are applied on time.',
    remediation:
      'Set `osProfile.windowsConfiguration.patchSettings.patchMode` (Windows) or `osProfile.linuxConfiguration.patchSettings.patchMode` (Linux) to `AutomaticByPlatform`, with `assessmentMode: AutomaticByPlatform`.',
    references: [
      'https://learn.microsoft.com/en-us/azure/virtual-machines/automatic-vm-guest-patching',
      VM_REF,
      VMSS_REF,
    ],
    resourceTypes: [VM, VMSS],
    evaluate: (r) => {
      const noProfile = osProfileOutcome(r);
      if (noProfile) return noProfile;
      const os = guestOs(r);
      if (os instanceof Unknown) {
        return unknown(r, `cannot decide the guest OS: the image is unknown (${os.reason})`, undefined, os);
      }
      if (os === undefined) return notApplicable(r, 'the guest OS cannot be told from the template');
      const config = os === 'windows' ? 'windowsConfiguration' : 'linuxConfiguration';
      // Absent means AutomaticByOS on Windows and ImageDefault on Linux: neither is platform-orchestrated.
      return checkProperty(r, {
        path: `${modelBase(r)}.osProfile.${config}.patchSettings.patchMode`,
        test: (v) => sameText(v, 'AutomaticByPlatform'),
        whenMissing: 'fail',
        expectation: 'patchMode is AutomaticByPlatform',
      });
    },
  }),

  defineCheck({
    id: 'AZ-VM-003',
    title: 'Virtual machines use encryption at host',
    severity: 'medium',
    rationale:
      'Managed disks are encrypted at rest, but temporary disks and disk caches on the host are not unless encryption at host is on. Encryption at host encrypts them end to end, so no VM data is left unencrypted on Azure hosts. A declaration with no size, image or OS disk create option updates an existing VM, whose creation-time setting the template cannot show: unknown (docs/calibration.md, partial updates).',
    remediation:
      'Set `securityProfile.encryptionAtHost` to `true` (register the EncryptionAtHost feature on the subscription first).',
    references: [
      'https://learn.microsoft.com/en-us/azure/virtual-machines/disk-encryption#encryption-at-host---end-to-end-encryption-for-your-vm-data',
      VM_REF,
      VMSS_REF,
    ],
    resourceTypes: [VM, VMSS],
    evaluate: (r) => {
      const path = `${modelBase(r)}.securityProfile.encryptionAtHost`;
      const expectation = 'encryption at host is enabled';
      return (
        creationTimeUnknown(r, path, expectation) ??
        checkProperty(r, { path, test: (v) => v === true, whenMissing: 'fail', expectation })
      );
    },
  }),

  defineCheck({
    id: 'AZ-VM-004',
    title: 'Virtual machines use Trusted Launch with Secure Boot and vTPM',
    severity: 'medium',
    rationale:
      'Boot kits and rootkits load before the operating system and hide from its security tools. Trusted Launch with Secure Boot verifies the boot chain signatures, and the virtual TPM enables measured boot and attestation, which the ISM requires for server hardening. The security type is fixed at creation, so a declaration that updates an existing VM (no size, image or OS disk create option) is unknown (docs/calibration.md, partial updates).',
    remediation:
      'Set `securityProfile.securityType` to `TrustedLaunch` and `securityProfile.uefiSettings` to `{ "secureBootEnabled": true, "vTpmEnabled": true }` on a Generation 2 image.',
    references: ['https://learn.microsoft.com/en-us/azure/virtual-machines/trusted-launch', VM_REF, VMSS_REF],
    resourceTypes: [VM, VMSS],
    evaluate: (r) => {
      const base = `${modelBase(r)}.securityProfile`;
      // The security type is fixed when the VM is created: a partial update cannot show it.
      const update = creationTimeUnknown(r, `${base}.securityType`, 'Trusted Launch is enabled');
      if (update) return update;
      // Absent securityType: newer API versions may default Gen2 images to Trusted Launch, but the
      // template does not say so; this check asks for it to be explicit.
      const rules = [
        {
          path: `${base}.securityType`,
          test: (v: Value) => sameText(v, 'TrustedLaunch') || sameText(v, 'ConfidentialVM'),
          expectation: 'securityType is TrustedLaunch (or ConfidentialVM)',
        },
        {
          path: `${base}.uefiSettings.secureBootEnabled`,
          test: (v: Value) => v === true,
          expectation: 'Secure Boot is enabled',
        },
        {
          path: `${base}.uefiSettings.vTpmEnabled`,
          test: (v: Value) => v === true,
          expectation: 'the vTPM is enabled',
        },
      ];
      for (const rule of rules) {
        const outcome = checkProperty(r, { ...rule, whenMissing: 'fail' });
        if (outcome.status !== 'pass') return outcome;
      }
      return pass(r, 'Trusted Launch with Secure Boot and vTPM is enabled', `${base}.securityType`);
    },
  }),

  defineCheck({
    id: 'AZ-VM-005',
    title: 'Managed disks cannot be exported over the public network',
    severity: 'medium',
    rationale:
      "With the default network access policy anyone who obtains a disk export SAS URL can download a full copy of the disk from the internet. Denying export, or allowing it only through a private link, keeps disk contents inside agency networks. The verdict is read from the public-endpoint facts the TRA's endpoints come from (docs/tra.md).",
    remediation:
      'Set `properties.networkAccessPolicy` to `DenyAll` (or `AllowPrivate` with `diskAccessId`) and `properties.publicNetworkAccess` to `Disabled`.',
    references: [
      'https://learn.microsoft.com/en-us/azure/virtual-machines/disks-enable-private-links-for-import-export-portal',
      'https://learn.microsoft.com/en-us/azure/templates/microsoft.compute/disks',
    ],
    resourceTypes: [DISK],
    // A disk export endpoint is only ever open or closed (DenyAll, AllowPrivate, or Disabled).
    evaluate: endpointCheck('disk', { what: 'the disk', acceptLimited: 'all' }),
  }),

  defineCheck({
    id: 'AZ-VM-006',
    title: 'Scale sets upgrade the OS image automatically',
    severity: 'low',
    rationale:
      'Scale set instances built from a marketplace image keep the image version they were created with. Automatic OS image upgrades roll out new patched images across instances in batches, so the fleet does not drift behind on OS security updates.',
    remediation:
      'Set `properties.upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade` to `true` (with a health probe or the Application Health extension).',
    references: [
      'https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-automatic-upgrade',
      VMSS_REF,
    ],
    resourceTypes: [VMSS],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'properties.upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade',
        test: (v) => v === true,
        whenMissing: 'fail',
        expectation: 'automatic OS image upgrade is enabled',
      }),
  }),
];
