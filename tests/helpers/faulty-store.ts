/**
 * A store that fails on purpose: while armed, the named transaction method throws, after the
 * writes before it in the same transaction have been made. Shows that a step commits whole or
 * not at all.
 */
import type { Store, StoreTx } from '@flowpath/runtime-api';

export interface FaultSwitch {
  /** The next call of `method` inside a transaction throws (once, or every time with `always`). */
  arm(method: keyof StoreTx, opts?: { always?: boolean }): void;
  disarm(): void;
  /** How many faults were thrown. */
  readonly thrown: number;
}

/** Wraps `store`; returns the wrapped store and its switch. */
export function faultyStore(store: Store): { store: Store; faults: FaultSwitch } {
  let armed: { method: keyof StoreTx; always: boolean } | undefined;
  let thrown = 0;
  const faults: FaultSwitch = {
    arm(method, opts = {}) {
      armed = { method, always: opts.always ?? false };
    },
    disarm() {
      armed = undefined;
    },
    get thrown() {
      return thrown;
    },
  };
  const wrapTx = (tx: StoreTx): StoreTx =>
    new Proxy(tx, {
      get(target, prop, receiver) {
        const v: unknown = Reflect.get(target, prop, receiver);
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => {
          if (armed && prop === armed.method) {
            if (!armed.always) armed = undefined;
            thrown += 1;
            throw new Error(`injected fault in ${String(prop)}`);
          }
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  const wrapped = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'transaction') {
        return <T>(fn: (tx: StoreTx) => Promise<T>) => target.transaction((tx) => fn(wrapTx(tx)));
      }
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { store: wrapped, faults };
}
