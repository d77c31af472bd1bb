// NLP.js (node-nlp), the peer codebot's classifier is compared with: trained on the same utterances.
// A development dependency only, loaded on demand by the measuring scripts.

import type { Example } from '../nlu/classifier.js';

export interface PeerClassifier {
  classify(text: string): Promise<{ label: string | null; score: number }>;
}

interface NlpManager {
  addDocument(lang: string, text: string, intent: string): void;
  train(): Promise<void>;
  process(lang: string, text: string): Promise<{ intent: string; score: number }>;
}

export async function trainNlpJs(examples: Example[]): Promise<PeerClassifier> {
  // node-nlp ships CommonJS without types for the parts we use; NlpManager above is that shape.
  const mod = (await import('node-nlp')) as unknown as { NlpManager: new (o: object) => NlpManager; default?: { NlpManager: new (o: object) => NlpManager } };
  const Manager = mod.NlpManager ?? mod.default!.NlpManager;
  const manager = new Manager({ languages: ['en'], nlu: { log: false }, autoSave: false, autoLoad: false, modelFileName: '/dev/null' });
  // NLP.js prints notes ("contains only stop words") to stdout while it trains; keep stdout for results.
  const log = console.log;
  console.log = () => undefined;
  try {
    for (const e of examples) manager.addDocument('en', e.text, e.label);
    await manager.train();
  } finally {
    console.log = log;
  }
  return {
    async classify(text: string) {
      const r = await manager.process('en', text);
      // NLP.js says "None" when nothing fits; some corpora have a real "None" intent, so it stays a label.
      return { label: r.intent, score: r.score };
    },
  };
}
