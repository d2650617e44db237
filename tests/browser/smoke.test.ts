import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser, screenshot, signIn, startProduct, type Product } from './harness';

describe.skipIf(!browserAvailable())('the product in a real browser', () => {
  let product: Product;
  let browser: Browser;
  beforeAll(async () => {
    product = await startProduct();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('serves the designer, signs in, lists the templates and draws one with Chinese labels', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await signIn(page, product, 'analyst');
    await expect.poll(() => page.getByText('小微企业贷款').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.getByText('小微企业贷款').first().click();
    await expect.poll(() => page.locator('.react-flow__node').count(), { timeout: 15_000 }).toBeGreaterThan(10);
    await screenshot(page, 'canvas-sme-loan');
    await page.close();
  });
});
