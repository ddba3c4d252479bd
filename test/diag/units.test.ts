/** Units in health+json and values on the /diag page. */
import { describe, expect, it } from 'vitest';
import { jsonUnit, valueNote, valueText } from '../../src/diag/units.js';

describe('units and values', () => {
  it('health+json gets a unit, never a phrase, and none when there is none', () => {
    expect(jsonUnit('ms')).toBe('ms');
    expect(jsonUnit('of 4 views')).toBe('views');
    expect(jsonUnit('')).toBeUndefined();
    expect(jsonUnit(undefined)).toBeUndefined();
  });

  it('the page reads a value with its unit, "of N" inside it and the window under it; one of a counted thing in the singular', () => {
    expect(valueText(3, 'requests', 'in the last 15 min')).toBe('3 requests');
    expect(valueNote(3, 'in the last 15 min')).toBe('in the last 15 min');
    expect(valueText(1, 'requests', 'in the last 15 min')).toBe('1 request');
    expect(valueText(1, 'containers', 'of 4')).toBe('1 of 4 containers');
    expect(valueNote(1, 'of 4')).toBeNull();
    expect(valueText(0.39, '%', undefined)).toBe('0.39 %');
    expect(valueText(1, 'ms', undefined)).toBe('1 ms');
    expect(valueText(null, 'ms', 'in the last 15 min')).toBe('—');
    expect(valueNote(undefined, 'in the last 15 min')).toBeNull();
  });
});
