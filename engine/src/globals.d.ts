// Available in every runtime the engine targets (Node >= 17, modern browsers), but not in the ES lib.
declare function structuredClone<T>(value: T): T;
