/** The cp's audit log: one JSON object per line, fields in the order the cp writes them. */

export interface AuditInput {
  time: number;
  actor: string;
  org: string;
  action: string;
  outcome: 'success' | 'failure' | 'denied';
  correlationId: string;
  ip: string;
  wokId?: string;
  extra?: Record<string, unknown>;
}

export function auditLine(a: AuditInput): string {
  return JSON.stringify({
    time: new Date(a.time).toISOString(),
    actor: a.actor,
    org: a.org,
    action: a.action,
    outcome: a.outcome,
    correlation_id: a.correlationId,
    ip: a.ip,
    ...(a.wokId ? { wok_id: a.wokId } : {}),
    ...a.extra,
  });
}
