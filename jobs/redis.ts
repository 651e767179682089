import { Redis } from 'ioredis';

/**
 * The one place Redis connections are made. Workers need `maxRetriesPerRequest: null` so their blocking
 * commands wait through reconnects; producers fail fast instead of queueing commands while Redis is down.
 * Connections start lazily: call `connect()`, which resolves once Redis is ready.
 */
export function createRedis(url: string, purpose: 'producer' | 'worker'): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: purpose === 'worker' ? null : 1,
    enableOfflineQueue: purpose === 'worker',
    connectionName: `baton-${purpose}`,
    lazyConnect: true,
  });
}
