/**
 * kafkajs's clients are plain objects of closures: their methods work detached (`const { send } =
 * producer`, `messages.map(producer.send)`), `Object.keys()` lists them, and a spread (`{ ...producer,
 * send: mock }`) keeps them. Our clients are classes; these own, enumerable, bound properties, defined in
 * kafkajs's order, make them behave the same. The prototype's methods stay for `this.x()` inside.
 */
export function ownMembers(target: object, names: readonly string[], values: Record<string, unknown> = {}): void {
  const members = target as Record<string, unknown>;
  for (const name of names) {
    const value = name in values ? values[name] : members[name];
    if (value === undefined) throw new Error(`ownMembers: no member '${name}'`);
    Object.defineProperty(target, name, {
      value: typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
}
