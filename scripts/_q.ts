import { Assistant } from '../src/assistant/assistant.ts';
const a = Assistant.create({ limits: null });
for (const q of process.argv.slice(2)) {
  const r = await a.handle({ text: q, conversation: { platform: 'cli', channel: 'x', thread: null }, user: 'u' });
  console.log(JSON.stringify({ q, title: r?.title, answered: r?.answered, guidance: r?.guidance, codes: r?.codes.map((c) => c.code), notices: (r as any)?.notices }));
}
