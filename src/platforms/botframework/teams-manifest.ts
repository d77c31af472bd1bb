// The Teams app manifest: filling its ids from the environment, and checking it offline against
// the official JSON schema bundled by @microsoft/app-manifest.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { z } from 'zod';

/** The all-zero GUID marks an id the package script fills in. */
export const PLACEHOLDER_ID = '00000000-0000-0000-0000-000000000000';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const PackageEnv = z.object({
  MicrosoftAppId: z.string({ message: 'required: the Azure Bot registration app id' }).regex(GUID, 'must be a GUID'),
  TEAMS_APP_ID: z.string().regex(GUID, 'must be a GUID').optional(),
  TEAMS_APP_VERSION: z.string().regex(/^\d+\.\d+\.\d+$/, 'must look like 1.2.3').optional(),
});

export type Manifest = Record<string, unknown> & { manifestVersion: string; id: string; version: string };

export function readManifest(file: string): Manifest {
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
}

/** The manifest with the bot id (and app id, version) from the environment in place of the placeholders. */
export function fillManifest(manifest: Manifest, env: NodeJS.ProcessEnv): Manifest {
  const parsed = PackageEnv.safeParse({
    MicrosoftAppId: env.MicrosoftAppId || undefined,
    TEAMS_APP_ID: env.TEAMS_APP_ID || undefined,
    TEAMS_APP_VERSION: env.TEAMS_APP_VERSION || undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${String(issue.path[0])}: ${issue.message}`);
  }
  const { MicrosoftAppId, TEAMS_APP_ID, TEAMS_APP_VERSION } = parsed.data;
  const text = JSON.stringify(manifest).split(PLACEHOLDER_ID).join(MicrosoftAppId);
  const filled = JSON.parse(text) as Manifest;
  // The Teams app id may be its own GUID; by default it is the bot's, as one app holds one bot.
  filled.id = TEAMS_APP_ID ?? MicrosoftAppId;
  if (TEAMS_APP_VERSION) filled.version = TEAMS_APP_VERSION;
  return filled;
}

/** Schema errors for a manifest, checked offline with the schema of its manifestVersion. */
export async function validateManifest(manifest: Manifest): Promise<string[]> {
  const require = createRequire(import.meta.url);
  const root = path.dirname(path.dirname(require.resolve('@microsoft/app-manifest')));
  const schemaFile = path.join(root, 'build', 'json-schemas', 'teams', `v${manifest.manifestVersion}`, 'MicrosoftTeams.schema.json');
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
  const { ManifestUtil } = (await import('@microsoft/app-manifest')) as typeof import('@microsoft/app-manifest');
  // Its generic wants the generated manifest type; ours is the JSON read from disk, checked by this very call.
  return ManifestUtil.validateManifestAgainstSchema(manifest as never, schema);
}
