// The part of vitest's `expect` that the shared test helpers use, for a page
// (bundle.ts substitutes it for 'vitest'). A matcher not here fails loudly.
const matchers = {
  toBe: (actual: unknown, expected: unknown) => Object.is(actual, expected),
  toBeLessThan: (actual: unknown, limit: unknown) => (actual as number) < (limit as number),
  toBeLessThanOrEqual: (actual: unknown, limit: unknown) => (actual as number) <= (limit as number),
};

type Assertion = { [name in keyof typeof matchers]: (expected: unknown) => void };

export function expect(actual: unknown, message?: string): Assertion {
  return new Proxy({} as Assertion, {
    get(_, name: string) {
      if (!(name in matchers)) throw new Error(`expect(...).${name} is missing from test/browser/entries/vitest-shim.ts`);
      const matcher = matchers[name as keyof typeof matchers];
      return (expected: unknown) => {
        if (!matcher(actual, expected)) {
          throw new Error(`${message ? `${message}: ` : ''}expected ${String(actual)} ${name} ${String(expected)}`);
        }
      };
    },
  });
}
