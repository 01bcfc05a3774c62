/**
 * The contract between `npm run bench` (run.ts) and its sections: each section is a module in
 * test/bench/ exporting an async function `(ctx: BenchContext) => Promise<BenchRow[]>`; run.ts
 * prints every row beside its reference and target and writes bench/results.json.
 */
export interface BenchContext {
  /** `npm run bench -- --quick`: small data, few samples, under a minute in all. */
  quick: boolean;
  engine: 'sqlite' | 'postgres';
  /** Set when engine is postgres (from TEST_DATABASE_URL): a server the section may create databases on. */
  databaseUrl?: string;
  /** A scratch folder for database files and logs, removed after the run. */
  dir: string;
}

export interface BenchRow {
  /** What was measured, e.g. "/status KEY ack p99 (1M impediments, passes running)". */
  name: string;
  value: number;
  unit: 'ms' | 's' | 'req/s' | 'calls/s' | 'MB' | 'x' | 'count';
  /** The reference measured in the same run (bare Bolt, the emulated-limit floor, ...), same unit. */
  reference?: number;
  referenceLabel?: string;
  /** The target in words, e.g. "p99 <= 1.5x bare Bolt". */
  target?: string;
  /** Whether the target is met; undefined when the row has no target. */
  met?: boolean;
  /** Anything a reader needs to judge the figure (scale factor, profile note). */
  note?: string;
}

export type BenchSection = (ctx: BenchContext) => Promise<BenchRow[]>;
