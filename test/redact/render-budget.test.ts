/** Redaction at render is bounded per answer: past the budget, text that would need the full rules is not shown. */
import { describe, expect, it } from 'vitest';
import { REDACTED } from '../../src/redact/secret-patterns.js';
import { DEFAULT_REDACTOR } from '../../src/redact/redactor.js';
import { JsonRedaction, OVER_BUDGET, redactViewModel, renderBudget } from '../../src/redact/redact-render.js';

const secretLine = (i: number) => `line ${i} password=hunter${i} ${'x'.repeat(1000)}`;

describe('render budget', () => {
  it('a page model: redacted while the budget lasts, then OVER_BUDGET; text the pre-check clears is free', () => {
    const model = { rows: Array.from({ length: 10 }, (_, i) => ({ message: secretLine(i), plain: `GET /x ${i}` })) };
    const out = redactViewModel(DEFAULT_REDACTOR, model, renderBudget(3500));
    expect(out.rows.map((r) => r.message.startsWith(`line`) ? 'checked' : r.message)).toEqual(['checked', 'checked', 'checked', ...Array(7).fill(OVER_BUDGET)]);
    expect(out.rows[0]!.message).toContain(`password=${REDACTED}`);
    expect(out.rows.map((r) => r.plain)).toEqual(model.rows.map((r) => r.plain));
    // The default budget is far above an ordinary ticket.
    expect(JSON.stringify(redactViewModel(DEFAULT_REDACTOR, model))).not.toContain(OVER_BUDGET);
  });

  it('a JSON answer: each res.json gets a fresh budget', () => {
    const body = { lines: Array.from({ length: 5 }, (_, i) => secretLine(i)) };
    const bodies = new JsonRedaction(DEFAULT_REDACTOR);
    const once = bodies.withAnswerBudget(() => JSON.stringify(body, bodies.replacer), 2100);
    expect((JSON.parse(once) as typeof body).lines.filter((l) => l === OVER_BUDGET)).toHaveLength(3);
    expect(bodies.withAnswerBudget(() => JSON.stringify(body, bodies.replacer), 2100)).toBe(once);
    expect(once).not.toContain('hunter');
  });
});
