import { setMaxListeners } from 'node:events';

/**
 * What aborts when this process starts stopping. Every running session listens for it, so it takes as many
 * listeners as there are sessions: Node's "possible memory leak" warning past 10 would be a false alarm in the log.
 */
export function stopController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
