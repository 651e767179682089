import { badRequest } from './errors';
import type { ScenarioDefinition, Step } from './scenario-types';
import { BUILT_IN_SCENARIOS, parseScenarioMarker } from './scenarios';
import type { SessionAgent } from './types';

interface Assignment {
  name: string;
  options: Record<string, string>;
}

export const DEFAULT_TARGET = 'default';

/**
 * Picks the script for a turn: a `[scenario:name]` marker in the user message wins, then a
 * scenario set for the session id, then for the agent id, then for `default`, then `plain`.
 */
export class ScenarioRegistry {
  private readonly definitions = new Map<string, ScenarioDefinition>(Object.entries(BUILT_IN_SCENARIOS));
  private readonly assignments = new Map<string, Assignment>();

  define(name: string, definition: ScenarioDefinition): void {
    this.definitions.set(name, definition);
  }

  assign(target: string, name: string, options: Record<string, string | number> = {}): void {
    if (!this.definitions.has(name)) throw new Error(`Unknown scenario '${name}'`);
    const stringOptions = Object.fromEntries(Object.entries(options).map(([k, v]) => [k, String(v)]));
    this.assignments.set(target, { name, options: stringOptions });
  }

  unassign(target: string): void {
    this.assignments.delete(target);
  }

  names(): string[] {
    return [...this.definitions.keys()];
  }

  /** Throws 400 for an unknown marker so a typo in a test fails at `events.send`, not as a hang. */
  check(text: string): void {
    const marker = parseScenarioMarker(text);
    if (marker && !this.definitions.has(marker.name)) throw badRequest(`Fake: unknown scenario '${marker.name}'`);
  }

  stepsFor(sessionId: string, agent: SessionAgent, text: string): { name: string; steps: Step[] } {
    const marker = parseScenarioMarker(text);
    const chosen: Assignment = marker ??
      this.assignments.get(sessionId) ??
      this.assignments.get(agent.id) ??
      this.assignments.get(DEFAULT_TARGET) ?? { name: 'plain', options: {} };
    const definition = this.definitions.get(chosen.name);
    if (!definition) throw new Error(`Unknown scenario '${chosen.name}'`);
    const ctx = { userText: marker ? marker.rest : text, options: chosen.options, agent };
    return { name: chosen.name, steps: typeof definition === 'function' ? definition(ctx) : definition };
  }
}
