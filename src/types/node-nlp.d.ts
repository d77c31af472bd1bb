// node-nlp ships no types; src/eval/peer.ts describes the small part it uses.
declare module 'node-nlp';
