import { randomBytes } from 'node:crypto';
import { maskSecret } from '../../src/crypto/mask';
import { keyId, SecretDecryptError, Secrets } from '../../src/crypto/secrets';

const token = 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx';
const oldKey = randomBytes(32);
const newKey = randomBytes(32);

// Changes one character of one dot-separated part, keeping it well-formed (hex for the key id, else base64url).
function tamper(ciphertext: string, part: number): string {
  const parts = ciphertext.split('.');
  const text = parts[part] as string;
  const [from, to] = part === 1 ? ['0', '1'] : ['A', 'B'];
  parts[part] = text.slice(0, 2) + (text[2] === from ? to : from) + text.slice(3);
  return parts.join('.');
}

describe('Secrets', () => {
  const secrets = new Secrets(newKey);

  it('decrypts what it encrypted, including empty and non-ASCII text', () => {
    for (const plaintext of [token, '', 'clé 🔑 ключ']) {
      expect(secrets.decrypt(secrets.encrypt(plaintext))).toBe(plaintext);
    }
  });

  it('never lets the plaintext or its base64 show through', () => {
    const ciphertext = secrets.encrypt(token);
    for (const encoding of ['utf8', 'base64', 'base64url', 'hex'] as const) {
      expect(ciphertext).not.toContain(Buffer.from(token).toString(encoding).slice(0, 16));
    }
  });

  it('encrypts the same text differently every time', () => {
    expect(secrets.encrypt(token)).not.toBe(secrets.encrypt(token));
  });

  it('labels each ciphertext with the id of the key that sealed it', () => {
    expect(keyId(newKey)).toMatch(/^[0-9a-f]{8}$/);
    expect(secrets.encrypt(token).split('.').slice(0, 2)).toEqual(['v1', keyId(newKey)]);
    expect(secrets.currentKeyId).toBe(keyId(newKey));
  });

  it.each([
    ['key id', 1],
    ['iv', 2],
    ['tag', 3],
    ['ciphertext', 4],
  ])('rejects a ciphertext whose %s was changed', (_name, part) => {
    const ciphertext = secrets.encrypt(token);
    expect(() => secrets.decrypt(tamper(ciphertext, part))).toThrow(SecretDecryptError);
  });

  it('rejects a tag spelled differently even when it decodes to the same bytes', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const parts = secrets.encrypt(token).split('.');
    const tag = parts[3] as string;
    // 16 bytes take 22 characters; the last one's low 4 bits are padding that decoders ignore.
    const respelled = tag.slice(0, -1) + alphabet[alphabet.indexOf(tag.at(-1) as string) ^ 1];
    expect(Buffer.from(respelled, 'base64url')).toEqual(Buffer.from(tag, 'base64url'));
    parts[3] = respelled;
    expect(() => secrets.decrypt(parts.join('.'))).toThrow(SecretDecryptError);
  });

  it('rejects truncated or foreign input without echoing it', () => {
    const ciphertext = secrets.encrypt(token);
    for (const input of [ciphertext.slice(0, -3), ciphertext.replace('v1.', 'v2.'), token, `${ciphertext}.x`]) {
      let error: unknown;
      try {
        secrets.decrypt(input);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(SecretDecryptError);
      expect((error as Error).message).not.toContain(input.slice(-10));
    }
  });

  it('opens old ciphertexts only while their key is listed as a previous key', () => {
    const sealedWithOld = new Secrets(oldKey).encrypt(token);
    const rotated = new Secrets(newKey, [oldKey]);
    expect(rotated.decrypt(sealedWithOld)).toBe(token);
    expect(rotated.needsRotation(sealedWithOld)).toBe(true);
    expect(rotated.needsRotation(rotated.encrypt(token))).toBe(false);
    expect(rotated.encrypt(token).split('.')[1]).toBe(keyId(newKey));
    expect(() => new Secrets(newKey).decrypt(sealedWithOld)).toThrow(SecretDecryptError);
  });

  it('reads keys from base64 configuration and refuses keys of the wrong size', () => {
    const fromConfig = Secrets.fromBase64(newKey.toString('base64'), [oldKey.toString('base64')]);
    expect(fromConfig.decrypt(secrets.encrypt(token))).toBe(token);
    expect(() => new Secrets(randomBytes(16))).toThrow(RangeError);
    expect(() => new Secrets(newKey, [randomBytes(31)])).toThrow(RangeError);
  });
});

describe('maskSecret', () => {
  it('keeps the vendor prefix and the last four characters', () => {
    expect(maskSecret('sk-ant-api03-abcdefghijklmnopqrstuvwxyz-a1B2')).toBe('sk-ant-…a1B2');
    expect(maskSecret(token)).toBe('xoxb-…UvWx');
    expect(maskSecret('abcdefghijklmnopqrstuvwxyz')).toBe('…wxyz');
  });

  it('honours explicit prefix and suffix lengths', () => {
    expect(maskSecret('sk-ant-api03-abcdefghijklmnopqrstuvwxyz', { prefixLength: 3, suffixLength: 2 })).toBe('sk-…yz');
  });

  it('hides short values almost entirely', () => {
    expect(maskSecret('sk-ant-abc123')).toBe('…');
    expect(maskSecret('sk-ant-abcdefgh123')).toBe('sk-ant-…');
    expect(maskSecret('')).toBe('…');
  });
});
