import { badRequest } from '../errors';
import { cursorPage } from '../pagination';
import { json, type Route, type RouteContext } from '../router';

/** The multipart body as the SDK sends it: `files[]` parts whose filenames keep their directory. */
async function readUpload({
  req,
  body,
}: RouteContext): Promise<{ files: Record<string, string>; displayName?: string }> {
  const contentType = String(req.headers['content-type'] ?? '');
  if (!contentType.startsWith('multipart/form-data')) throw badRequest('Skills are uploaded as multipart/form-data.');
  const form = await new Response(String(body ?? ''), { headers: { 'content-type': contentType } }).formData();
  const files: Record<string, string> = {};
  for (const part of form.getAll('files[]')) {
    if (typeof part === 'string') throw badRequest('files[]: each part must be a file');
    files[part.name] = await part.text();
  }
  const displayName = form.get('display_name');
  return { files, ...(typeof displayName === 'string' ? { displayName } : {}) };
}

async function createSkill(ctx: RouteContext) {
  const { files, displayName } = await readUpload(ctx);
  return json(ctx.state.skills.create(files, displayName));
}

async function createVersion(ctx: RouteContext) {
  const { files } = await readUpload(ctx);
  return json(ctx.state.skills.addVersion(ctx.params['id'] ?? '', files));
}

function listSkills({ state, query }: RouteContext) {
  const source = query.get('source');
  const skills = [...state.skills.byId.values()].map((s) => s.skill).filter((s) => !source || s.source.type === source);
  return json(cursorPage(skills, query));
}

const skillFamily = 'models' as const;
export const skillRoutes: Route[] = [
  { method: 'POST', pattern: '/v1/skills', family: skillFamily, handle: createSkill },
  { method: 'GET', pattern: '/v1/skills', family: skillFamily, handle: listSkills },
  {
    method: 'GET',
    pattern: '/v1/skills/:id',
    family: skillFamily,
    handle: ({ state, params }) => json(state.skills.get(params['id'] ?? '').skill),
  },
  {
    method: 'DELETE',
    pattern: '/v1/skills/:id',
    family: skillFamily,
    handle: ({ state, params }) => {
      state.skills.delete(params['id'] ?? '');
      return json({ id: params['id'], type: 'skill_deleted' });
    },
  },
  { method: 'POST', pattern: '/v1/skills/:id/versions', family: skillFamily, handle: createVersion },
  {
    method: 'GET',
    pattern: '/v1/skills/:id/versions',
    family: skillFamily,
    handle: ({ state, params, query }) =>
      json(
        cursorPage(
          [...state.skills.get(params['id'] ?? '').versions].reverse().map((v) => v.version),
          query,
        ),
      ),
  },
  {
    method: 'DELETE',
    pattern: '/v1/skills/:id/versions/:version',
    family: skillFamily,
    handle: ({ state, params }) => {
      state.skills.deleteVersion(params['id'] ?? '', params['version'] ?? '');
      return json({ id: params['version'], type: 'skill_version_deleted' });
    },
  },
];
