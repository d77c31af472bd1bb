// Questions about a procedure's risks, benefits, outcomes or recovery, or a condition's causes and
// symptoms: clinical questions, not coding ones. Codebot answers neither with codes ("how safe is
// TAVI" had got TAVI's codes), since codes are not what was asked; it says what it does answer and
// where NICE's view of safety and efficacy is.

const ASKS = [
  /\bhow (?:risky|safe|dangerous|successful|effective|painful|invasive|good|well does)\b/i,
  /\bhow long (?:does|will|is|to) (?:it|the|recovery|recover|healing|they)\b/i,
  /\bwhat (?:are|is|were) the (?:risks?|dangers?|side[- ]effects?|complications?|success rates?|outcomes?|results|benefits?|chances?|survival|prognosis|evidence|recovery|recurrence)\b/i,
  /\b(?:is|are) (?:it|they|this|that) (?:safe|risky|dangerous|effective|painful|worth it|better)\b/i,
  /^(?:is|are)\b.*\b(?:safe|risky|dangerous|effective|painful|worth it)\b/i,
  /\b(?:risks?|dangers?|side[- ]effects?|success rates?|recovery(?: time)?|survival(?: rates?)?|efficacy|effectiveness|complication rates?|outcomes?)\s+(?:of|for|after|from|with)\b/i,
  // What a condition is like, for the patient ("what causes glaucoma", "symptoms of TTTS").
  /\bwhat (?:causes|caused|triggers)\b|\b(?:causes|symptoms|signs|prognosis) of\b/i,
  // Whether NICE supports it: its recommendations on use, safety and efficacy, not its coding ones.
  /\b(?:is|are) (?:it|they|this|that)\s+(?:still\s+)?(?:recommended|approved|supported|endorsed)\b|\bdoes nice (?:recommend|support|approve)\b|\b(?:any|what) (?:safety|efficacy) (?:concerns?|issues?|problems?|worries|data|evidence)\b|\b(?:safety|efficacy) concerns?\b/i,
];

/** Words that make it a coding question after all ("complications of DBS - which code?"). */
const CODING = /\b(?:codes?|coding|coded|code it|opcs|icd|classif\w*|sequenc\w*)\b/i;

/** A question about how a procedure works out for the patient, with no word about coding it. */
export function asksClinically(text: string): boolean {
  // (Nor when it names a code: "is Y53.9 recommended?" is about coding.)
  return !CODING.test(text) && !/\b[A-Z]\d{2}\b/i.test(text) && ASKS.some((r) => r.test(text));
}
