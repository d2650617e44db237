import type { FlowDefinition, FlowVersion } from '@flowpath/engine';
import type { StoreTx } from '../store/store';

/**
 * Published versions never change, so their definitions are cached by key and number; the
 * cache holds a bounded number of versions and drops the least recently used.
 */
export class DefinitionCache {
  private readonly cache = new Map<string, FlowVersion>();

  constructor(private readonly capacity = 500) {}

  /** The published version, or undefined when it does not exist. */
  async get(tx: StoreTx, key: string, version: number): Promise<FlowVersion | undefined> {
    const id = `${key}@${version}`;
    const hit = this.cache.get(id);
    if (hit) {
      this.cache.delete(id);
      this.cache.set(id, hit);
      return hit;
    }
    const v = await tx.getVersion(key, version);
    if (!v) return undefined;
    this.cache.set(id, v);
    if (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value as string);
    return v;
  }

  /** The definition of a version that must exist (a case pins it). */
  async definition(tx: StoreTx, key: string, version: number): Promise<FlowDefinition> {
    const v = await this.get(tx, key, version);
    if (!v) throw new Error(`flow ${key} version ${version} is missing from the store`);
    return v.definition;
  }
}
