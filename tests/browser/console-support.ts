/**
 * What the operations-console browser tests share: loan cases started the way a front-office
 * app starts them, bounded polling of the API, and signing in straight to a console address.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { ROLE_KEYS, type Product } from './harness';

/** An SME-loan application that the stand-in registry and bureau pass to manual credit approval (score 727, not whitelisted). */
export function smeLoanApplication(customerId: string, branchId = 'SZ-SIP-003'): Record<string, unknown> {
  return {
    customerId,
    companyId: '91320594MA1X00057K',
    companyName: '苏州工业园区精工模具有限公司',
    legalPersonName: '李娜',
    legalPersonIdNumber: '320586198807153326',
    legalPersonMobile: '13962112345',
    enterpriseSize: 'small',
    branchId,
    channel: 'mobile-app',
    industryCode: 'C3525',
    annualRevenue: 8600000,
    requestedAmount: 1000000,
    termMonths: 12,
    loanPurpose: 'purchase-materials',
    preApprovedLimit: 1500000,
    preApprovedRate: 3.65,
  };
}

export interface CaseView {
  id: string;
  status: string;
  outcome: string | null;
  breached: boolean;
  waitingAt: string[];
  openIncidents: number;
  incidents: { id: string; nodeId: string; code: string; message: string }[];
  tasks: { id: string; nodeId: string; status: string; assignee: string | null; queue: string }[];
}

/** Polls `read` until `done` holds, for at most `ms`; fails the test with the last value otherwise. */
export async function waitUntil<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 15_000, what = 'condition'): Promise<T> {
  const until = Date.now() + ms;
  let last: T = await read();
  while (!done(last)) {
    if (Date.now() > until) throw new Error(`${what} not reached in ${ms} ms; last: ${JSON.stringify(last).slice(0, 800)}`);
    await new Promise((r) => setTimeout(r, 200));
    last = await read();
  }
  return last;
}

/** Reads a case as `role`. */
export async function readCase(product: Product, id: string, role: keyof typeof ROLE_KEYS = 'admin'): Promise<CaseView> {
  const r = await product.api<CaseView>(role, 'GET', `/api/cases/${id}`);
  expect(r.status).toBe(200);
  return r.body;
}

/** Starts an SME loan as the app and waits until its automatic checks are done and it waits at `node`. */
export async function startSmeLoan(product: Product, customerId: string, node = 'credit-review', data: Record<string, unknown> = {}): Promise<CaseView> {
  const r = await product.api<CaseView>('app', 'POST', '/api/cases', { flow: 'sme-loan', data: { ...smeLoanApplication(customerId), ...data } });
  expect(r.status).toBe(201);
  return waitUntil(() => readCase(product, r.body.id), (c) => c.waitingAt.includes(node) || c.status !== 'waiting', 15_000, `case at ${node}`).then((c) => {
    expect(c.waitingAt).toEqual([node]);
    return c;
  });
}

/** Signs in with a role's key and language, then opens a console address (e.g. `#/cases`). */
export async function openAs(page: Page, product: Product, role: keyof typeof ROLE_KEYS, hash: string, lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<void> {
  await page.addInitScript(
    ([key, l]) => {
      const s = (globalThis as unknown as { localStorage: Storage }).localStorage;
      s.setItem('flowpath.apiKey', key as string);
      s.setItem('flowpath.lang', l as string);
    },
    [ROLE_KEYS[role].key, lang],
  );
  await page.goto(`${product.url}/${hash}`);
}

/** Collects page errors so a test can assert there were none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text());
  });
  return errors;
}
