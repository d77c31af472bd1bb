// One question in, everything the handlers need out: codes (taken first, before any
// tokenising), guidance ids, lexicon terms and the classified intent.

import { findQueryCodes, type CodeMatch } from '../knowledge/codes.js';
import { analyse, type Term } from '../text/analyse.js';
import { normalise } from '../text/normalise.js';
import { IntentClassifier, type Classification } from './classifier.js';
import { features, GUIDANCE_ID } from './features.js';
import { examplesOf, loadIntentFiles, type Intent } from './intents.js';

export interface Understanding {
  /** The question after normalising. */
  text: string;
  codes: CodeMatch[];
  guidanceIds: string[];
  /** Terms of the text with codes and ids taken out. */
  terms: Term[];
  classification: Classification;
  intent: Intent | null;
  confidence: number;
}

export const CLASSIFIER_SETTINGS = { smoothing: 0.1, temperature: 3 } as const;

export class Nlu {
  constructor(readonly classifier: IntentClassifier) {}

  static fromDir(intentsDir: string): Nlu {
    const examples = examplesOf(loadIntentFiles(intentsDir));
    return new Nlu(IntentClassifier.train(examples, { featurize: features, ...CLASSIFIER_SETTINGS }));
  }

  understand(raw: string): Understanding {
    const text = normalise(raw);
    const guidanceIds: string[] = [];
    // Blanked out with spaces of the same length, so term offsets still point into `text`.
    let rest = text.replace(GUIDANCE_ID, (m: string, n: string) => {
      const id = `IPG${Number(n)}`;
      if (!guidanceIds.includes(id)) guidanceIds.push(id);
      return ' '.repeat(m.length);
    });
    const codes: CodeMatch[] = [];
    for (const c of findQueryCodes(rest)) {
      if (!codes.some((x) => x.code === c.code)) codes.push(c);
      rest = `${rest.slice(0, c.start)}${' '.repeat(c.end - c.start)}${rest.slice(c.end)}`;
    }
    const classification = this.classifier.classify(text);
    return {
      text,
      codes,
      guidanceIds,
      terms: analyse(rest),
      classification,
      intent: classification.label as Intent | null,
      confidence: classification.confidence,
    };
  }
}
