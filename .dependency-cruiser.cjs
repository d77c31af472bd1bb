// Layering of src/, checked by `npm test` (npm run check:layers). Folders import only folders
// below them in LAYERS; the README's layout lists the same order.
/** Top to bottom. `eval` is the labelled-question scorer: only scripts use it. */
const LAYERS = ['server', 'eval', 'platforms', 'render', 'assistant', 'nlu', 'knowledge', 'store', 'text', 'shared'];

const downward = LAYERS.slice(1).map((layer, i) => ({
  name: `${layer}-imports-only-downward`,
  comment: `src/${layer}/ may not import ${LAYERS.slice(0, i + 1).join(', ')}`,
  severity: 'error',
  from: { path: `^src/${layer}/` },
  to: { path: `^src/(?:${LAYERS.slice(0, i + 1).join('|')})/` },
}));

module.exports = {
  forbidden: [
    ...downward,
    {
      name: 'platforms-stay-apart',
      comment: 'one platform never imports another: each translates its own events (src/platforms/surface.ts, the contract, is for all)',
      severity: 'error',
      from: { path: '^src/platforms/([^/]+)/' },
      to: { path: '^src/platforms/[^/]+/', pathNot: '^src/platforms/$1/' },
    },
    {
      name: 'config-and-log-only-for-server-and-platforms',
      comment: 'settings and the logger belong to the process, not to the core',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(?:server/|platforms/|config\\.ts$|log\\.ts$)' },
      to: { path: '^src/(?:config|log)\\.ts$' },
    },
    {
      name: 'config-and-log-stay-leaves',
      comment: 'src/config.ts and src/log.ts import nothing of ours',
      severity: 'error',
      from: { path: '^src/(?:config|log)\\.ts$' },
      to: { path: '^src/' },
    },
    {
      name: 'natural-only-through-text-natural',
      comment: 'natural loads only by submodule path in src/text/natural.ts (its index reads .env and loads database clients)',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/text/natural\\.ts$' },
      to: { path: 'node_modules/natural/' },
    },
    {
      name: 'platform-sdks-stay-in-their-folder',
      comment: 'Slack and Bot Framework SDKs only in their platform folder (the Block Kit renderer may use Slack\'s types)',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/platforms/(?:slack|botframework)/' },
      to: { path: 'node_modules/(?:@slack/(?!types/)|botbuilder|botframework-)' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^(?:src/|node_modules/)',
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports are dependencies too: a store that names an assistant type depends on it.
    tsPreCompilationDeps: true,
  },
};
