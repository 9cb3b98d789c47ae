/** Injected bugs: placeholder until the mutator lands. */
export interface Mutant {
  name: string;
  operator: string;
  text: string;
  lines: number[];
  rules: string[];
  what: string;
}
export interface MutantSummary {
  seed: number;
  cap: number;
  rejected: number;
}
export async function mutants(): Promise<{ mutants: Mutant[]; summary: MutantSummary }> {
  return { mutants: [], summary: { seed: 1, cap: 40, rejected: 0 } };
}
