import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { settleRollbackHooks } from '../../src-main/db/repos/settings.js';
import { makeBackend, type TestBackend } from '../support/backend.js';

let t: TestBackend;
afterEach(() => t?.dispose());

/** VAT rates and category names are held in memory by the catalog; a change must show on the very next scan. */
describe('catalog reference data', () => {
  it('a changed VAT rate, renamed category and new category are seen by the next lookup, and a rollback by none', () => {
    t = makeBackend();
    const { db, repos } = t.backend;
    const milk = repos.catalog.lookupBarcode(DEMO_BARCODES.milk);
    expect(milk).not.toBeNull();
    const before = milk!.product;

    db.prepare('UPDATE tax_rates SET bp = bp + 200 WHERE code = ?').run(before.tax_code);
    expect(repos.catalog.lookupBarcode(DEMO_BARCODES.milk)!.product.tax_bp).toBe(before.tax_bp + 200);

    db.prepare('UPDATE categories SET name = ? WHERE name = ?').run('Молочка', before.category);
    expect(repos.catalog.lookupBarcode(DEMO_BARCODES.milk)!.product.category).toBe('Молочка');

    const { id } = db.prepare('INSERT INTO categories (name) VALUES (?) RETURNING id').get('Новинки') as { id: number };
    db.prepare('UPDATE products SET category_id = ? WHERE id = ?').run(id, before.id);
    expect(repos.catalog.byId(before.id)!.category).toBe('Новинки');

    expect(() =>
      db.transaction(() => {
        db.prepare('UPDATE tax_rates SET bp = 0 WHERE code = ?').run(before.tax_code);
        expect(repos.catalog.byPlu(1)).not.toBeNull();
        throw new Error('abandon');
      })(),
    ).toThrow('abandon');
    settleRollbackHooks(db, false); // as the command runner does after a rollback
    expect(repos.catalog.lookupBarcode(DEMO_BARCODES.milk)!.product.tax_bp).toBe(before.tax_bp + 200);
  });

  it('survives a restart: the reference triggers are re-created on the new connection', () => {
    t = makeBackend();
    const code = t.backend.repos.catalog.lookupBarcode(DEMO_BARCODES.milk)!.product.tax_code;
    const b = t.restart();
    expect(b.repos.catalog.lookupBarcode(DEMO_BARCODES.milk)).not.toBeNull();
    b.db.prepare('UPDATE tax_rates SET bp = 1234 WHERE code = ?').run(code);
    expect(b.repos.catalog.lookupBarcode(DEMO_BARCODES.milk)!.product.tax_bp).toBe(1234);
  });
});
