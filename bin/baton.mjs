#!/usr/bin/env node
// `npx baton <command>`: runs the built CLI, building it first on a fresh checkout.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist', 'src', 'cli.js');
if (!existsSync(cli)) execSync('npm run build', { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
await import(pathToFileURL(cli).href);
