/** `view.state.values` of a submitted view, or undefined when a forged payload has none (parsers then report it). */
export function stateValues(view: unknown): unknown {
  const state = (view as { state?: { values?: unknown } } | null | undefined)?.state;
  return state?.values;
}
