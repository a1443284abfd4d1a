/** Reads a benchmark's positive-integer option (`--count 1000`), or its default; anything else stops with the usage. */
export function positiveIntOption(usage: string) {
  return (name: string, text: string | undefined, fallback: number): number => {
    const n = text === undefined ? fallback : Number(text);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer\n\n${usage}`);
    return n;
  };
}
