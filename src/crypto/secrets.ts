import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * A ciphertext could not be opened: unknown key id, bad format or failed authentication. The message never
 * includes the ciphertext or the plaintext, so it is safe to log.
 */
export class SecretDecryptError extends Error {
  override readonly name = 'SecretDecryptError';
}

/** Identifies a key without revealing it: the first 8 hex characters of its SHA-256. */
export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * AES-256-GCM with a fresh 12-byte IV per message. Ciphertexts read `v1.<kid>.<iv>.<tag>.<data>` (base64url
 * parts), so a value sealed with a retired key still opens while that key is listed in `previousKeys`.
 */
export class Secrets {
  private readonly currentId: string;
  private readonly keys = new Map<string, Buffer>();

  constructor(currentKey: Buffer, previousKeys: readonly Buffer[] = []) {
    for (const key of [currentKey, ...previousKeys]) {
      if (key.length !== KEY_BYTES) throw new RangeError(`Encryption keys must be ${KEY_BYTES} bytes`);
    }
    this.currentId = keyId(currentKey);
    // The current key wins if a previous key is listed twice or equals it.
    for (const key of [...previousKeys].reverse()) this.keys.set(keyId(key), Buffer.from(key));
    this.keys.set(this.currentId, Buffer.from(currentKey));
  }

  /** Builds from base64 keys as they appear in BATON_ENCRYPTION_KEY and BATON_PREVIOUS_ENCRYPTION_KEYS. */
  static fromBase64(currentKey: string, previousKeys: readonly string[] = []): Secrets {
    const decode = (key: string) => Buffer.from(key, 'base64');
    return new Secrets(decode(currentKey), previousKeys.map(decode));
  }

  get currentKeyId(): string {
    return this.currentId;
  }

  encrypt(plaintext: string): string {
    const key = this.keys.get(this.currentId) as Buffer;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    // The header is authenticated too, so a ciphertext cannot be relabelled with another version or key id.
    cipher.setAAD(Buffer.from(`${VERSION}.${this.currentId}`));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, this.currentId, b64(iv), b64(tag), b64(data)].join('.');
  }

  decrypt(ciphertext: string): string {
    const { kid, iv, tag, data } = parse(ciphertext);
    const key = this.keys.get(kid);
    if (!key) throw new SecretDecryptError(`No encryption key with id ${kid} is configured`);
    try {
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(`${VERSION}.${kid}`));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
    } catch {
      // Deliberately no cause: node's error adds nothing, and the message must stay free of content.
      throw new SecretDecryptError(`Ciphertext sealed with key ${kid} failed authentication`);
    }
  }

  /** True when the value was sealed with a key other than the current one and should be re-encrypted. */
  needsRotation(ciphertext: string): boolean {
    return parse(ciphertext).kid !== this.currentId;
  }
}

function parse(ciphertext: string): { kid: string; iv: Buffer; tag: Buffer; data: Buffer } {
  const parts = ciphertext.split('.');
  const [version, kid, iv, tag, data] = parts;
  if (parts.length !== 5 || version !== VERSION || !kid || !/^[0-9a-f]{8}$/.test(kid)) {
    throw new SecretDecryptError('Not a Baton ciphertext');
  }
  const ivBytes = unb64(iv);
  const tagBytes = unb64(tag);
  const dataBytes = unb64(data);
  if (ivBytes?.length !== IV_BYTES || tagBytes?.length !== TAG_BYTES || !dataBytes) {
    throw new SecretDecryptError('Not a Baton ciphertext');
  }
  return { kid, iv: ivBytes, tag: tagBytes, data: dataBytes };
}

const b64 = (bytes: Buffer) => bytes.toString('base64url');

// Node's decoder skips foreign characters and ignores a final character's spare bits, so several strings
// decode alike; accept only the canonical one, or an edited part could still decrypt.
function unb64(text: string | undefined): Buffer | undefined {
  if (text === undefined) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return b64(bytes) === text ? bytes : undefined;
}
