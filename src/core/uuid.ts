import { createHash } from 'node:crypto';

/**
 * assay's namespace for name-based UUIDs (a fixed random v4). Ids derived under it are stable:
 * the same content always gets the same UUID, so documents of identical runs diff cleanly.
 */
export const ASSAY_UUID_NAMESPACE = '5f0f8d2a-7c3e-4b8e-9a51-3d6c2b7e4f10';

function bytesOf(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

/** RFC 4122 name-based UUID, version 5 (SHA-1), of a UTF-8 name under a namespace. */
export function uuidV5(name: string, namespace = ASSAY_UUID_NAMESPACE): string {
  const hash = createHash('sha1').update(bytesOf(namespace)).update(name, 'utf8').digest();
  const b = Buffer.from(hash.subarray(0, 16));
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
