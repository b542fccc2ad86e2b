import { readFileSync } from 'node:fs';
import { buildSchema, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildContract } from './contract.ts';

const supergraph = readFileSync(new URL('supergraph.graphql', import.meta.url), 'utf8');

describe('the partner contract', () => {
  const contract = buildSchema(buildContract(supergraph));
  const fields = (type: string) => {
    const found = contract.getType(type);
    return isObjectType(found) ? Object.keys(found.getFields()) : [];
  };

  it('keeps what is tagged public', () => {
    expect(fields('Query')).toEqual(expect.arrayContaining(['materials', 'quote', 'order', 'myOrders', 'viewer']));
    expect(fields('Mutation')).toEqual(expect.arrayContaining(['requestQuote', 'placeOrder', 'uploadModel']));
  });

  it('drops untagged fields and types, and fields that would point at them', () => {
    expect(fields('Query')).not.toContain('person');
    expect(fields('Query')).not.toContain('productionQueue');
    expect(fields('Mutation')).not.toContain('approveOrder');
    expect(fields('Order')).not.toContain('review');
    expect(fields('Order')).not.toContain('customer');
    expect(fields('Viewer')).not.toContain('person');
    expect(contract.getType('Person')).toBeUndefined();
    expect(contract.getType('Review')).toBeUndefined();
  });

  it('is what schema/public.graphql holds', () => {
    expect(readFileSync(new URL('public.graphql', import.meta.url), 'utf8')).toBe(buildContract(supergraph));
  });
});
