// npm run teams:package: the Teams app package (manifest + icons) for upload in Teams admin.
// Fills the ids from the environment (MicrosoftAppId; optional TEAMS_APP_ID, TEAMS_APP_VERSION),
// checks the manifest against the official schema offline, and writes build/teams/codebot-teams.zip.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import { fillManifest, readManifest, validateManifest } from '../src/platforms/botframework/teams-manifest.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (existsSync(path.join(root, '.env'))) process.loadEnvFile(path.join(root, '.env'));

let manifest;
try {
  manifest = fillManifest(readManifest(path.join(root, 'manifest.json')), process.env);
} catch (err) {
  console.error(`teams:package: ${(err as Error).message}`);
  process.exit(1);
}
const errors = await validateManifest(manifest);
if (errors.length > 0) {
  console.error(`teams:package: manifest.json does not match the Teams schema v${manifest.manifestVersion}:\n  ${errors.join('\n  ')}`);
  process.exit(1);
}
const zip = new JSZip();
zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
zip.file('color.png', readFileSync(path.join(root, 'teams', 'color.png')));
zip.file('outline.png', readFileSync(path.join(root, 'teams', 'outline.png')));
const out = process.argv[2] ?? path.join(root, 'build', 'teams', 'codebot-teams.zip');
mkdirSync(path.dirname(out), { recursive: true });
const data = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: 'UNIX' });
writeFileSync(`${out}.tmp`, data);
renameSync(`${out}.tmp`, out);
console.log(`wrote ${path.relative(process.cwd(), out)} (app ${manifest.id}, bot ${process.env.MicrosoftAppId}, manifest v${manifest.manifestVersion}): upload it in Teams admin center > Manage apps > Upload`);
