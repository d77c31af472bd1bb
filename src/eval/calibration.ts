// How far the classifier's confidence can be trusted: a reliability table (confidence bins against
// the share right in each) and the expected calibration error, as in Guo et al. 2017.

export interface Prediction {
  confidence: number;
  correct: boolean;
}

export interface Bin {
  /** Lower edge; the bin holds confidence in [from, from + width), the last bin includes 1. */
  from: number;
  to: number;
  count: number;
  /** Mean confidence of the predictions in the bin. */
  confidence: number;
  /** Share of them that were right. */
  accuracy: number;
}

export function reliability(predictions: readonly Prediction[], bins = 10): { bins: Bin[]; ece: number } {
  const out: Bin[] = Array.from({ length: bins }, (_, i) => ({ from: i / bins, to: (i + 1) / bins, count: 0, confidence: 0, accuracy: 0 }));
  for (const p of predictions) {
    const b = out[Math.min(bins - 1, Math.floor(p.confidence * bins))]!;
    b.count++;
    b.confidence += p.confidence;
    b.accuracy += p.correct ? 1 : 0;
  }
  let ece = 0;
  for (const b of out) {
    if (b.count === 0) continue;
    b.confidence /= b.count;
    b.accuracy /= b.count;
    ece += (b.count / predictions.length) * Math.abs(b.accuracy - b.confidence);
  }
  return { bins: out, ece };
}

/**
 * The fallback threshold the table supports: the lowest confidence from which a guess is right
 * more often than not in every bin above it. Below it, "I'm not sure" serves a coder better than a guess.
 */
export function chooseThreshold(predictions: readonly Prediction[], bins = 10, minCount = 3): number {
  const { bins: table } = reliability(predictions, bins);
  let threshold = 1;
  for (let i = table.length - 1; i >= 0; i--) {
    const b = table[i]!;
    if (b.count < minCount) continue;
    if (b.accuracy < 0.5) break;
    threshold = b.from;
  }
  return threshold;
}
