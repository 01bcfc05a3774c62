import { z } from 'zod';
import { ACTION } from '../ids';

/** `view.state.values` of a submitted view, or undefined when a forged payload has none (parsers then report it). */
export function stateValues(view: unknown): unknown {
  const state = (view as { state?: { values?: unknown } } | null | undefined)?.state;
  return state?.values;
}

const UNREADABLE = 'This field could not be read; fill it in again';
const Root = z.record(z.string(), z.unknown());
const TextEl = z.object({ value: z.string().nullish() });
const OptionEl = z.object({ selected_option: z.object({ value: z.string() }).nullish() });
const OptionsEl = z.object({ selected_options: z.array(z.object({ value: z.string() })).nullish() });

const count = (n: number): string => n.toLocaleString('en-US');
/** Characters as people count them (code points), as Slack counts `max_length`. */
export const chars = (s: string): number => Array.from(s).length;
export const tooLong = (what: string, n: number, max: number) => `${what} is ${count(n)} characters; keep it to ${count(max)} or fewer`;

/**
 * The one reader of a submitted modal's `view.state.values` (untrusted: payloads can be forged).
 * Reads one field per block (its element is `ACTION.value`); a malformed field records an error
 * on its block and reads as empty. `errors` collects what to show inline.
 */
export function viewReader(values: unknown) {
  const root = Root.safeParse(values);
  const errors: Record<string, string> = {};
  const element = (block: string): unknown => {
    if (!root.success || !Object.hasOwn(root.data, block)) return undefined;
    const b = Root.safeParse(root.data[block]);
    return b.success && Object.hasOwn(b.data, ACTION.value) ? b.data[ACTION.value] : undefined;
  };
  function read<S extends z.ZodType, T>(block: string, schema: S, pick: (d: z.infer<S>) => T | null | undefined): T | null {
    const el = element(block);
    if (el === undefined || el === null) return null;
    const parsed = schema.safeParse(el);
    if (parsed.success) return pick(parsed.data) ?? null;
    errors[block] = UNREADABLE;
    return null;
  }
  const fail = (block: string, message: string) => {
    errors[block] ??= message;
  };
  return {
    errors,
    fail,
    /** Trimmed text; `required` is the message when empty. */
    text(block: string, max: number, required: string | null): string {
      const v = (read(block, TextEl, (d) => d.value) ?? '').trim();
      if (chars(v) > max) fail(block, tooLong('This', chars(v), max));
      else if (v === '' && required !== null) fail(block, required);
      return v;
    },
    option(block: string): string | null {
      return read(block, OptionEl, (d) => d.selected_option?.value);
    },
    ticked(block: string, value: string): boolean {
      return (read(block, OptionsEl, (d) => d.selected_options?.map((o) => o.value)) ?? []).includes(value);
    },
  };
}
