import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config';
import type { Logger } from '../log';

/**
 * The key that encrypts stored secrets. Production must set BATON_ENCRYPTION_KEY (config enforces it); in
 * development we create one under DATA_DIR on first start, so `npm start` works on a fresh clone.
 */
export async function resolveEncryptionKey(config: Config, log: Logger): Promise<Buffer> {
  if (config.encryptionKey) return Buffer.from(config.encryptionKey, 'base64');
  const file = path.join(config.dataDir, 'encryption.key');
  try {
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  await mkdir(config.dataDir, { recursive: true });
  await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  log.warn(
    { event: 'config.encryption_key.generated', file },
    'BATON_ENCRYPTION_KEY is not set: generated a development key',
  );
  return key;
}
