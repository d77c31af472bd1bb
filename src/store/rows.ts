// Audit and feedback rows as both SQL stores return them (snake_case columns), into the store
// contract's shape. SQLite keeps lists as JSON text and booleans as 0/1; PostgreSQL as JSONB and booleans.

import type { AuditRow, FeedbackRow } from './types.js';

const list = (v: unknown): string[] => (typeof v === 'string' ? (JSON.parse(v) as string[]) : (v as string[]));
const flag = (v: unknown): boolean => v === true || v === 1;

export function auditFromRow(r: Record<string, unknown>): AuditRow & { id: number } {
  return {
    id: Number(r.id),
    at: String(r.at),
    platform: String(r.platform),
    userHash: String(r.user_hash),
    channel: String(r.channel),
    question: String(r.question),
    intent: String(r.intent),
    confidence: Number(r.confidence),
    guidance: list(r.guidance),
    codes: list(r.codes),
    answered: flag(r.answered),
    latencyMs: Number(r.latency_ms),
    knowledgeHash: String(r.knowledge_hash),
    ref: r.ref === null || r.ref === undefined ? null : String(r.ref),
  };
}

export function feedbackFromRow(r: Record<string, unknown>): FeedbackRow & { auditId: number | null } {
  return {
    at: String(r.at),
    auditId: r.audit_id === null || r.audit_id === undefined ? null : Number(r.audit_id),
    platform: String(r.platform),
    channel: String(r.channel),
    userHash: String(r.user_hash),
    helpful: flag(r.helpful),
    intent: String(r.intent),
    guidance: list(r.guidance),
  };
}
