import type { McpServer } from '../domain/mcp-servers';
import { parseSkillRef, type Skill } from '../domain/skills';
import type { BotToolSource } from '../ports/settings';

/**
 * A bot's skills and MCP servers as its agent has them: only Baton's managed agents get them from Baton (an
 * existing agent brings its own, which Baton does not list). Skills by name; servers once declared on the agent
 * (a `pending` one waits for the next sync).
 */
export const botTools = (stores: {
  skills: { list(teamId: string): Promise<Skill[]> };
  mcpServers: { list(botId: string): Promise<McpServer[]> };
}): BotToolSource => ({
  forBot: async (teamId, botId, connection) => {
    if (connection?.mode !== 'managed') return { skills: [], mcpServers: [] };
    const refs = connection.skills.flatMap((ref) => parseSkillRef(ref) ?? []);
    const [workspaceSkills, servers] = await Promise.all([
      refs.some((r) => r.type === 'custom') ? stores.skills.list(teamId) : Promise.resolve([]),
      stores.mcpServers.list(botId),
    ]);
    const nameOf = new Map(workspaceSkills.map((s) => [s.id, s.skillId]));
    return {
      skills: refs.flatMap((r) => (r.type === 'anthropic' ? [r.id] : (nameOf.get(r.id) ?? []))),
      mcpServers: servers.filter((s) => s.state !== 'pending').map(({ name, isTrusted }) => ({ name, isTrusted })),
    };
  },
});
