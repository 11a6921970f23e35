import type { FileFacts } from './facts';
import type { Prepared } from './prepare';

/** `Prepared` as it crosses a thread boundary: the references map travels as entries. */
export type WireFacts = Omit<FileFacts, 'references'> & { references: Array<[string, number]> };
export type WirePrepared =
  | Exclude<Prepared, { kind: 'parsed' }>
  | { kind: 'parsed'; file: Omit<Extract<Prepared, { kind: 'parsed' }>['file'], 'facts'> & { facts: WireFacts | null } };

export function toWire(p: Prepared): WirePrepared {
  if (p.kind !== 'parsed') return p;
  const facts = p.file.facts;
  return { kind: 'parsed', file: { ...p.file, facts: facts ? { ...facts, references: [...facts.references] } : null } };
}

export function fromWire(p: WirePrepared): Prepared {
  if (p.kind !== 'parsed') return p;
  const facts = p.file.facts;
  return { kind: 'parsed', file: { ...p.file, facts: facts ? { ...facts, references: new Map(facts.references) } : null } };
}
